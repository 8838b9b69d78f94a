"""The catalogue of diagnostic codes. Codes are never renumbered.

Families: SC0xx frontend, SC1xx spatial sizes, SC2xx channels and layer inputs, SC3xx merges
(elementwise, cat, stack, matmul), SC4xx flatten / reshape / linear, SC9xx the tool itself.
Each code has a kebab-case name, a default severity, and a doc in four parts.
"""

from __future__ import annotations

from dataclasses import dataclass

from .diagnostics import Severity


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    severity: Severity
    summary: str
    what: str
    why: str
    example: str
    instead: str

    def doc(self) -> str:
        return (
            f"{self.code} {self.name} ({self.severity})\n\n{self.summary}\n\n"
            f"## What it does\n{self.what}\n\n## Why is this bad?\n{self.why}\n\n"
            f"## Example\n{self.example}\n\n## Use instead\n{self.instead}\n"
        )


CODES: dict[str, Code] = {}


def _code(code: str, name: str, severity: Severity, summary: str, **doc: str) -> None:
    assert code not in CODES, code
    CODES[code] = Code(code, name, severity, summary, **doc)


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

# ----------------------------------------------------------------------------- SC0xx frontend
_code(
    "SC001",
    "trace-specialised",
    W,
    "The graph was recorded from one concrete forward, not traced symbolically.",
    what="torch.fx could not trace the model's forward (usually Python control flow that "
    "depends on tensor values or sizes), so shapecalc recorded the ops that one meta-tensor "
    "forward executed at a concrete input size.",
    why="The recorded graph is specialised to that size: shapes at other sizes, and formulas "
    "in the input symbols, cannot be derived from it.",
    example="def forward(self, x):\n    if x.shape[-1] > 64:   # branches on a size\n"
    "        x = self.pool(x)\n    return self.head(x)",
    instead="Analyse at the concrete sizes you care about (--input 1,3,224,224), or move the "
    "branch into __init__ so that forward is straight-line code.",
)
_code(
    "SC002",
    "layer-rejected",
    E,
    "PyTorch rejects a layer's constructor arguments.",
    what="A torch.nn layer raised while being built; shapecalc kept its arguments, reports "
    "PyTorch's reason at the line that builds it, and analyses the rest of the model.",
    why="The model cannot even be constructed, so no training or inference run can start.",
    example="nn.Conv2d(3, 64, 3, padding='same', stride=2)",
    instead="nn.Conv2d(3, 64, 3, padding=1, stride=2)",
)
_code(
    "SC010",
    "params-not-counted",
    I,
    "A DSL layer's parameters are not counted: its sizes are symbolic, or its kind is unknown.",
    what="The DSL counts a layer's parameters from its arguments, without building it. When an "
    "argument is a formula in the input symbols (a `...` filled in from a symbolic size) or "
    "the layer is not one the DSL knows how to count, the table counts 0 for it.",
    why="The model's parameter total is then too low.",
    example="x = Input(B, 3, H, W)\nx = flatten(x, 1) >> Linear(..., 10)   # in_features = 3*H*W",
    instead="Declare the sizes that decide the layer as numbers: x = Input(B, 3, 32, 32).",
)

_code(
    "SC003",
    "load-failed",
    E,
    "The model's file raised while being imported, or the model while being built.",
    what="shapecalc check imports each file and builds its models (on the meta device, then "
    "on CPU) as the calculator does. When the user's code raises there, for a reason that "
    "is not a missing module, the error is reported at the line that raised, and nothing "
    "else in that model can be checked.",
    why="The model cannot be constructed, so no training or inference run can start; "
    "typical causes are layer arguments PyTorch rejects in a layer shapecalc has no rule "
    "for, and syntax errors.",
    example="self.attn = nn.MultiheadAttention(embed_dim=10, num_heads=3)",
    instead="self.attn = nn.MultiheadAttention(embed_dim=12, num_heads=3)",
)

# ----------------------------------------------------------------------- SC1xx spatial sizes
_code(
    "SC101",
    "window-larger-than-input",
    E,
    "A kernel (with its dilation) is larger than the padded input: no output position.",
    what="Checks every sliding-window layer (Conv*, *Pool*) against the spatial size that "
    "reaches it.",
    why="PyTorch raises 'Kernel size can't be greater than actual input size' or 'Output size "
    "is too small' at run time: the input has been downsampled too many times.",
    example="# a 32x32 input after four stride-2 stages is 2x2\nnn.Conv2d(64, 64, kernel_size=3)",
    instead="Use a larger input, fewer downsampling stages, or padding=1.",
)
_code(
    "SC102",
    "empty-output",
    E,
    "An op produces a dimension of size zero or less.",
    what="Flags ops (slicing, adaptive pooling, interpolation, padding with negative amounts) "
    "whose output has an empty dimension.",
    why="An empty activation makes later layers raise or silently return empty results.",
    example="x[:, :, 40:]   # on a 32-high input",
    instead="Slice within the size that reaches the op.",
)
_code(
    "SC103",
    "pool-padding-too-large",
    E,
    "Pooling padding is larger than half the (effective) kernel.",
    what="Checks MaxPool*/AvgPool*/LPPool* padding against kernel_size (and dilation).",
    why="PyTorch raises 'pad should be at most half of effective kernel size'.",
    example="nn.MaxPool2d(kernel_size=2, padding=2)",
    instead="nn.MaxPool2d(kernel_size=2, padding=1)",
)
_code(
    "SC104",
    "invalid-output-padding",
    E,
    "A transposed convolution's output_padding is not smaller than its stride or dilation.",
    what="Checks ConvTranspose* output_padding against stride and dilation.",
    why="PyTorch raises 'output padding must be smaller than either stride or dilation'.",
    example="nn.ConvTranspose2d(64, 32, 3, stride=2, output_padding=2)",
    instead="nn.ConvTranspose2d(64, 32, 3, stride=2, output_padding=1)",
)
_code(
    "SC105",
    "pixel-shuffle-indivisible",
    E,
    "PixelShuffle / PixelUnshuffle sizes are not divisible by the factor.",
    what="Checks that channels are divisible by r**2 (PixelShuffle) or height and width by r "
    "(PixelUnshuffle).",
    why="PyTorch raises at run time; the rearrangement is not defined.",
    example="nn.PixelShuffle(2)   # on 6 channels",
    instead="Feed 4*k channels, e.g. a Conv2d(..., 8, 3) before PixelShuffle(2).",
)
_code(
    "SC106",
    "invalid-window-argument",
    E,
    "A kernel, stride, dilation or padding argument is not valid.",
    what="Checks kernel_size, stride and dilation are positive, padding is not negative, "
    "tuples have one entry per spatial dimension, and padding='same' is not combined with a "
    "stride.",
    why="PyTorch rejects these when the layer is built or run.",
    example="nn.Conv2d(3, 8, kernel_size=0)",
    instead="nn.Conv2d(3, 8, kernel_size=1)",
)
_code(
    "SC107",
    "invalid-interpolation",
    E,
    "Upsample / interpolate arguments don't fit the input.",
    what="Checks that exactly one of size and scale_factor is given, that they have one entry "
    "per spatial dimension, and that the mode supports the input's rank.",
    why="PyTorch raises at run time, e.g. 'Got 4D input, but bilinear mode needs 4D input' "
    "for a 3-D tensor.",
    example="nn.Upsample(scale_factor=2, mode='bilinear')   # on (B, C, L)",
    instead="nn.Upsample(scale_factor=2, mode='linear')",
)
_code(
    "SC108",
    "padding-exceeds-input",
    E,
    "Reflection or circular padding is as large as the input.",
    what="Checks reflect padding is smaller than the padded dimension and circular padding at "
    "most as large; negative (cropping) padding must leave at least one element.",
    why="PyTorch raises 'Padding size should be less than the corresponding input dimension'.",
    example="nn.ReflectionPad2d(4)   # on a 4x4 input",
    instead="nn.ReflectionPad2d(3), or nn.ReplicationPad2d(4).",
)
_code(
    "SC109",
    "invalid-output-size",
    E,
    "An adaptive pooling or interpolation output size is not positive.",
    what="Checks output_size / size entries are positive (or None to keep the input size).",
    why="PyTorch raises, or produces an empty tensor, at run time.",
    example="nn.AdaptiveAvgPool2d((0, 7))",
    instead="nn.AdaptiveAvgPool2d((7, 7))",
)
_code(
    "SC110",
    "stride-drops-pixels",
    I,
    "A strided window leaves some border pixels unused.",
    what="Reports a strided layer whose windows do not cover the last rows or columns of its "
    "input: (L + 2P - D(K-1) - 1) is not a multiple of the stride.",
    why="Those pixels never influence the output; usually harmless, sometimes a sign that the "
    "input size or padding is not what was intended.",
    example="nn.Conv2d(3, 8, 3, stride=2)   # on 32x32: the last column is dropped",
    instead="nn.Conv2d(3, 8, 3, stride=2, padding=1), or an input size that fits.",
)

_code(
    "SC111",
    "zero-size-output",
    W,
    "An op silently produces an empty dimension.",
    what="Flags ops whose output has a dimension of size 0 that PyTorch accepts without an "
    "error: slicing past the end, a transposed convolution whose padding eats the whole "
    "output.",
    why="An empty activation runs through the rest of the network and yields empty or "
    "meaningless results; PyTorch says nothing.",
    example="x[:, :, 40:]   # on a 32-high input: size 0",
    instead="Slice within the size that reaches the op, or reduce the padding.",
)
_code(
    "SC112",
    "unpool-indices-mismatch",
    E,
    "MaxUnpool's indices do not have the shape of its input.",
    what="Checks that the indices given to MaxUnpool1d/2d/3d (F.max_unpool*) have exactly the "
    "shape of the pooled input, as the indices returned by the matching MaxPool with "
    "return_indices=True do.",
    why="PyTorch raises 'Expected shape of indices to be same as that of the input tensor'.",
    example="out, idx = pool1(x)\ny = unpool(pool2(out), idx)   # idx belongs to another size",
    instead="Pass the indices returned together with the tensor being unpooled.",
)
_code(
    "SC113",
    "op-fails-at-size",
    E,
    "An op shapecalc has no rule for raises in PyTorch at the sizes it gets.",
    what="For an op without a shape rule, shapecalc runs the op itself on meta tensors of "
    "the sizes it receives (at concrete input sizes); when PyTorch raises there and on CPU "
    "tensors of the same sizes, the op cannot run at this input.",
    why="The forward pass would stop at this line with PyTorch's error (quoted in the "
    "message). Without a rule shapecalc cannot say more than PyTorch does: which argument "
    "to change is in that message.",
    example="y = x.diff(dim=4)   # x is 4-D: dimension out of range",
    instead="Change the op's arguments or its input as PyTorch's message says.",
)

# ------------------------------------------------------------------ SC2xx channels and inputs
_code(
    "SC201",
    "in-channels-mismatch",
    E,
    "A convolution's in_channels differs from the channels of its input.",
    what="Checks Conv* and ConvTranspose* in_channels against dim 1 (dim 0 unbatched) of the "
    "input that reaches the layer.",
    why="PyTorch raises 'expected input to have N channels, but got M channels instead'.",
    example="nn.Conv2d(3, 64, 3)   # fed by a layer that outputs 32 channels",
    instead="nn.Conv2d(32, 64, 3)",
)
_code(
    "SC202",
    "groups-indivisible",
    E,
    "groups does not divide in_channels or out_channels.",
    what="Checks Conv*/ConvTranspose* groups against in_channels and out_channels.",
    why="PyTorch raises 'in_channels must be divisible by groups' when the layer is built.",
    example="nn.Conv2d(32, 64, 3, groups=3)",
    instead="nn.Conv2d(32, 64, 3, groups=4)",
)
_code(
    "SC203",
    "num-features-mismatch",
    E,
    "A BatchNorm / InstanceNorm num_features differs from the channels of its input.",
    what="Checks num_features against dim 1 of the input of BatchNorm*d and of InstanceNorm*d "
    "(with affine or running statistics).",
    why="PyTorch raises 'running_mean should contain C elements not N' or a similar error.",
    example="nn.BatchNorm2d(32)   # after nn.Conv2d(3, 64, 3)",
    instead="nn.BatchNorm2d(64)",
)
_code(
    "SC204",
    "group-norm-mismatch",
    E,
    "GroupNorm's num_channels differs from the input, or num_groups does not divide it.",
    what="Checks GroupNorm num_channels against dim 1 of its input and that num_groups "
    "divides num_channels.",
    why="PyTorch raises at build or run time.",
    example="nn.GroupNorm(32, 48)",
    instead="nn.GroupNorm(16, 48)",
)
_code(
    "SC205",
    "normalized-shape-mismatch",
    E,
    "LayerNorm's normalized_shape differs from the input's trailing dimensions.",
    what="Checks normalized_shape against the last dimensions of LayerNorm's input.",
    why="PyTorch raises 'Given normalized_shape=[N], expected input with shape [*, N]'.",
    example="nn.LayerNorm(512)   # on (B, T, 768)",
    instead="nn.LayerNorm(768)",
)
_code(
    "SC206",
    "wrong-input-rank",
    E,
    "A layer receives a tensor with a number of dimensions it does not accept.",
    what="Checks the rank of each layer's input: Conv2d takes (N, C, H, W) or (C, H, W), "
    "BatchNorm1d (N, C) or (N, C, L), and so on.",
    why="PyTorch raises 'Expected 3D (unbatched) or 4D (batched) input ...'.",
    example="nn.Conv2d(3, 8, 3)   # on a flattened (B, 3072) tensor",
    instead="Reshape to (B, 3, 32, 32) first, or use the layer of the right rank.",
)
_code(
    "SC207",
    "wrong-dtype",
    E,
    "An op receives a tensor of a dtype it does not accept.",
    what="Checks dtype requirements that are part of an op's contract, such as integer "
    "indices for Embedding.",
    why="PyTorch raises, e.g. 'Expected tensor for argument #1 indices to have one of the "
    "following scalar types: Long, Int'.",
    example="nn.Embedding(1000, 64)(torch.rand(2, 16))",
    instead="Pass integer token ids: torch.randint(0, 1000, (2, 16)).",
)
_code(
    "SC215",
    "input-size-mismatch",
    E,
    "A recurrent or attention layer's feature size differs from the size of its input.",
    what="Checks the last dimension of the input of RNN / LSTM / GRU and their cells against "
    "input_size, of MultiheadAttention's query, key and value against embed_dim, kdim and "
    "vdim, and of a Transformer layer's inputs against d_model.",
    why="PyTorch raises 'input.size(-1) must be equal to input_size. Expected 10, got 20' or "
    "'was expecting embedding dimension of 64, but got 32'.",
    example="nn.LSTM(10, 32)   # on (T, B, 20) features",
    instead="nn.LSTM(20, 32)",
)
_code(
    "SC216",
    "hidden-state-mismatch",
    E,
    "An initial hidden (or cell) state given to a recurrent layer has the wrong shape.",
    what="Checks h0 (and LSTM's c0) against (num_directions * num_layers, N, H_out) for "
    "RNN / LSTM / GRU ((D * num_layers, H_out) for unbatched input; H_out is proj_size when "
    "set), and the hidden state of RNNCell / LSTMCell / GRUCell against (N, hidden_size).",
    why="PyTorch raises 'Expected hidden size (2, 4, 32), got [1, 4, 32]' or 'Input batch size "
    "4 doesn't match hidden0 batch size 8'.",
    example="nn.LSTM(10, 32, num_layers=2)(x, (h0, c0))   # h0, c0 of shape (1, B, 32)",
    instead="h0 = torch.zeros(2, B, 32), and c0 alike",
)
_code(
    "SC217",
    "heads-indivisible",
    E,
    "An attention layer's embedding size, or its query heads, do not split evenly into heads.",
    what="Checks that MultiheadAttention's (and a Transformer layer's) embed_dim is divisible "
    "by num_heads, and, for scaled_dot_product_attention with enable_gqa=True, that the key "
    "and value heads divide the query heads.",
    why="PyTorch raises 'embed_dim must be divisible by num_heads' when building the layer, "
    "or 'Number of heads in key and value must divide the number of heads in query'.",
    example="nn.MultiheadAttention(100, 8)",
    instead="nn.MultiheadAttention(96, 8), or nn.MultiheadAttention(100, 10)",
)
_code(
    "SC218",
    "attention-mask-mismatch",
    E,
    "An attention mask or key padding mask does not fit the query and key lengths.",
    what="Checks MultiheadAttention's key_padding_mask against (N, S) and attn_mask against "
    "(L, S) or (N * num_heads, L, S), and that scaled_dot_product_attention's attn_mask "
    "broadcasts to (..., L, S), is bool or float, and is not combined with is_causal=True.",
    why="PyTorch raises 'The shape of the 2D attn_mask is torch.Size([16, 16]), but should be "
    "(16, 20)' or 'Expected key_padded_mask.shape[1] to be 20, but got 16'.",
    example="attn(q, k, v, attn_mask=torch.ones(L, L, dtype=torch.bool))   # k has S != L",
    instead="A mask of shape (L, S): torch.ones(q.size(0), k.size(0), dtype=torch.bool)",
)
_code(
    "SC219",
    "attention-inputs-mismatch",
    E,
    "Query, key and value given to an attention op do not fit together.",
    what="Checks that key and value have the same length (and batch), that query and key "
    "share their head size and batch dimensions (broadcasting for "
    "scaled_dot_product_attention), that batched and unbatched inputs are not mixed, and "
    "that a Transformer's source and target have the same batch.",
    why="PyTorch raises 'key shape torch.Size([7, 3, 8]) does not match value shape "
    "torch.Size([6, 3, 8])' or a matrix-product error deep inside the attention.",
    example="F.scaled_dot_product_attention(q, k, v)   # k (B, H, 20, 64), v (B, H, 16, 64)",
    instead="Key and value from the same sequence: both (B, H, S, ...)",
)

_code(
    "SC208",
    "single-value-batch-stats",
    W,
    "BatchNorm in training mode would see one value per channel.",
    what="Checks that a batch-norm layer's input holds more than one value per channel "
    "(batch size times spatial size), and that an InstanceNorm with running statistics sees "
    "more than one spatial element. Reported only when the sizes decide it.",
    why="In training mode PyTorch raises 'Expected more than 1 value per channel when "
    "training' (batch statistics of one value are undefined); eval mode uses the running "
    "statistics and works, so this is a warning.",
    example="nn.BatchNorm1d(64)(torch.rand(1, 64))   # batch of one, training mode",
    instead="Train with batches of at least 2, call model.eval() for single-sample "
    "inference, or use GroupNorm / LayerNorm.",
)
_code(
    "SC209",
    "single-value-stats",
    E,
    "A normalisation that always uses the input's own statistics sees one value per group.",
    what="Checks that InstanceNorm without running statistics (and F.instance_norm) gets more "
    "than one spatial element, and that GroupNorm gets more than one value per group.",
    why="PyTorch raises 'Expected more than 1 spatial element when training' or 'Expected "
    "more than 1 value per channel when training' whatever the mode: these layers compute "
    "statistics from the input itself.",
    example="nn.InstanceNorm2d(64)(x)   # x is (B, 64, 1, 1) after global pooling",
    instead="Normalise before the spatial size collapses, or use LayerNorm over the channels.",
)
_code(
    "SC210",
    "prelu-parameters-mismatch",
    E,
    "PReLU's num_parameters is neither 1 nor the input's channel count.",
    what="Checks PReLU's num_parameters (the weight's size for F.prelu) against dim 1 of the "
    "input (1 for a 1-D input): it must be 1 or equal to it.",
    why="PyTorch raises 'Mismatch of parameter numbers and input channel size'.",
    example="nn.PReLU(64)   # after nn.Conv2d(3, 32, 3)",
    instead="nn.PReLU(32), or nn.PReLU() for one shared slope.",
)
_code(
    "SC211",
    "glu-odd-size",
    E,
    "GLU halves a dimension whose size is odd.",
    what="Checks that the size of GLU's dim (the last by default) is even.",
    why="GLU splits the dimension into two halves, value and gate; PyTorch raises 'Halving "
    "dimension must be even, but dimension 1 is size 5'.",
    example="nn.GLU()(torch.rand(8, 5))",
    instead="Produce an even size before it, e.g. nn.Linear(d, 2 * hidden) then nn.GLU().",
)
_code(
    "SC212",
    "dropout-input-rank",
    W,
    "Dropout2d / Dropout3d receive a rank that PyTorch treats specially or has deprecated.",
    what="Checks the rank of Dropout2d's input (4-D (N, C, H, W) expected) and Dropout3d's "
    "(4-D or 5-D).",
    why="PyTorch warns: a 3-D input to Dropout2d is taken as (N, C, L), so whole 1-D channels "
    "are zeroed rather than 2-D feature maps of one sample; other ranks are deprecated and "
    "will become errors.",
    example="nn.Dropout2d(0.2)(torch.rand(8, 128))   # after a Linear",
    instead="nn.Dropout(0.2) for feature vectors, nn.Dropout1d for (N, C, L) sequences.",
)
_code(
    "SC213",
    "fold-blocks-mismatch",
    E,
    "Fold's input does not match its kernel size or its number of sliding blocks.",
    what="Checks nn.Fold / F.fold: dim 1 of the input must be divisible by the product of "
    "kernel_size, and the last dim must equal the number of sliding blocks that output_size, "
    "kernel_size, dilation, padding and stride give.",
    why="PyTorch raises 'Expected size of input's dimension 1 to be divisible by the product of "
    "kernel_size' or 'Expected size of input's dimension 2 to match the calculated number of "
    "sliding blocks'.",
    example="nn.Fold((4, 4), 2)(torch.rand(1, 12, 10))   # 9 blocks of 2x2 fit in 4x4",
    instead="nn.Fold((4, 4), 2)(torch.rand(1, 12, 9))",
)
_code(
    "SC214",
    "missing-running-stats",
    E,
    "A functional batch or instance norm in evaluation mode gets no running statistics.",
    what="Checks that F.batch_norm with training=False, and F.instance_norm with "
    "use_input_stats=False, receive running_mean and running_var.",
    why="Evaluation mode normalises with the running statistics; PyTorch raises "
    "'running_mean must be defined in evaluation mode'.",
    example="F.batch_norm(x, None, None)   # training defaults to False",
    instead="F.batch_norm(x, None, None, training=True), or pass the running buffers.",
)

# --------------------------------------------------------------------------- SC3xx merges
_code(
    "SC301",
    "broadcast-mismatch",
    E,
    "Operands of an elementwise op (a residual add) have shapes that don't broadcast.",
    what="Checks +, -, *, / and torch.add/mul/... operands dimension by dimension from the "
    "right: each pair must be equal or contain a 1.",
    why="PyTorch raises 'The size of tensor a (256) must match the size of tensor b (64) at "
    "non-singleton dimension 1'.",
    example="out = self.conv2(self.conv1(x))   # 64 -> 256 channels\nreturn out + x",
    instead="A 1x1 projection on the shortcut: return out + self.proj(x)",
)
_code(
    "SC302",
    "cat-mismatch",
    E,
    "Tensors concatenated with torch.cat differ outside the concatenation dimension.",
    what="Checks every non-concatenated dimension of torch.cat's inputs, and that all have "
    "the same rank.",
    why="PyTorch raises 'Sizes of tensors must match except in dimension 1'.",
    example="torch.cat([up(x), skip], dim=1)   # 56x56 beside 57x57",
    instead="Crop or pad one side, or choose input sizes divisible by the total stride.",
)
_code(
    "SC303",
    "stack-mismatch",
    E,
    "Tensors given to torch.stack do not all have the same shape.",
    what="Checks that every input of torch.stack has exactly the same shape.",
    why="PyTorch raises 'stack expects each tensor to be equal size'.",
    example="torch.stack([a, b])   # (2, 3) and (2, 4)",
    instead="Make the shapes equal, or use torch.cat along the differing dimension.",
)
_code(
    "SC304",
    "matmul-mismatch",
    E,
    "Inner dimensions of a matrix product do not agree.",
    what="Checks matmul / @ / bmm / mm: the last dimension of the left operand must equal the "
    "second-to-last of the right, with batch dimensions broadcasting.",
    why="PyTorch raises 'mat1 and mat2 shapes cannot be multiplied'.",
    example="q @ k   # (B, T, 64) @ (B, T, 64)",
    instead="q @ k.transpose(-2, -1)",
)
_code(
    "SC305",
    "broadcast-changes-shape",
    W,
    "An elementwise op with a constant silently changes an activation's shape.",
    what="Warns when a parameter, buffer or literal tensor broadcasts an activation to a "
    "larger shape, e.g. per-channel statistics for 3 channels applied to a 1-channel image.",
    why="PyTorch raises nothing: the result quietly has a different shape (3 channels instead "
    "of 1) and the error surfaces later, far from its cause, or never.",
    example="mean = torch.tensor([0.485, 0.456, 0.406]).view(3, 1, 1)\n"
    "x = (x - mean) / std   # x is a grey (B, 1, 28, 28) image",
    instead="Statistics with one entry per channel of the input: "
    "torch.tensor([0.1307]).view(1, 1, 1)",
)

_code(
    "SC306",
    "invalid-op-argument",
    E,
    "An elementwise, merge or matrix op gets an argument it does not accept.",
    what="Checks the non-tensor arguments of elementwise ops, cat/stack, einsum and "
    "reductions: clamp needs min or max, div's rounding_mode is None, 'trunc' or 'floor', "
    "cat and stack need at least one tensor, einsum's equation must fit its operands, a "
    "norm's p must exist for the dims it reduces.",
    why="PyTorch raises at run time, e.g. 'torch.clamp: At least one of 'min' or 'max' must "
    "not be None' or 'einsum(): fewer operands were provided than specified in the equation'.",
    example="torch.einsum('bij,bjk->bik', q)   # two operands named, one given",
    instead="torch.einsum('bij,bjk->bik', q, k)",
)

# ------------------------------------------------------------- SC4xx flatten, reshape, linear
_code(
    "SC401",
    "in-features-mismatch",
    E,
    "Linear's in_features differs from the size of its input's last dimension.",
    what="Checks Linear in_features against the last dimension of its input, typically the "
    "product C*H*W after a flatten. With symbolic input sizes this is a constraint on the "
    "input, and an error only when no input size satisfies it.",
    why="PyTorch raises 'mat1 and mat2 shapes cannot be multiplied (2x864 and 400x120)'.",
    example="nn.Linear(400, 120)   # after a flatten that produces 864 features",
    instead="nn.Linear(864, 120)   (shapecalc fc prints the number and can --fix it)",
)
_code(
    "SC402",
    "view-size-mismatch",
    E,
    "view / reshape asks for a shape whose element count differs from the input's.",
    what="Checks the product of the requested shape (with -1 inferred) against the number of "
    "elements of the input.",
    why="PyTorch raises \"shape '[2, 400]' is invalid for input of size 1728\".",
    example="x.view(x.size(0), 16 * 5 * 5)   # on (B, 16, 6, 6)",
    instead="x.view(x.size(0), -1), or x.flatten(1)",
)
_code(
    "SC403",
    "bilinear-mismatch",
    E,
    "Bilinear's in1_features / in2_features differ from its inputs.",
    what="Checks nn.Bilinear's two inputs against in1_features and in2_features, and that "
    "their batch dimensions agree.",
    why="PyTorch raises at run time.",
    example="nn.Bilinear(20, 30, 40)(x1, x2)   # x2 has 20 features",
    instead="nn.Bilinear(20, 20, 40)",
)
_code(
    "SC404",
    "dim-out-of-range",
    E,
    "A dimension index is out of range for the tensor it applies to.",
    what="Checks dim arguments (flatten, softmax, cat, permute, transpose, squeeze, mean, "
    "size(), indexing) against the rank of the tensor.",
    why="PyTorch raises 'Dimension out of range (expected to be in range of [-2, 1], but got 2)'.",
    example="x.flatten(2)   # on a (B, 10) tensor",
    instead="x.flatten(1)",
)
_code(
    "SC405",
    "invalid-shape-argument",
    E,
    "A shape argument of view / reshape / unflatten / permute / split is malformed.",
    what="Checks that at most one -1 is given, that sizes are positive, that a permutation "
    "names every dimension once, that unflatten's sizes multiply to the dimension, and that "
    "split sizes add up.",
    why="PyTorch raises at run time.",
    example="x.permute(0, 2, 2, 1)",
    instead="x.permute(0, 2, 3, 1)",
)
_code(
    "SC406",
    "index-out-of-range",
    E,
    "An integer index is outside the dimension it indexes.",
    what="Checks integer indices in tensor indexing and in size tuples (x.shape[4] on a 4-D "
    "tensor).",
    why="PyTorch (or Python) raises IndexError.",
    example="x[:, 3]   # on (B, 3)",
    instead="x[:, 2] or x[:, -1]",
)
_code(
    "SC410",
    "invalid-index",
    E,
    "A tensor index has a form PyTorch rejects.",
    what="Checks the parts of a tensor index other than integer positions: slice steps must be "
    "positive and slice bounds integers; a boolean mask must have the shape of the dimensions "
    "it covers; index tensors must broadcast together; index_select takes a 1-D index; an "
    "index must be an int, slice, None, Ellipsis, bool, list or tensor.",
    why="PyTorch raises ValueError 'step must be greater than zero', or IndexError 'The shape "
    "of the mask [4] at index 0 does not match the shape of the indexed tensor [3, 4]' or "
    "'shape mismatch: indexing tensors could not be broadcast together'.",
    example="x[:, ::-1]          # reversing with a negative step\nx[mask]   # mask (B, 4), x (B, 3)",
    instead="x.flip(1)\nA mask with the shape of the dims it selects from: (B, 3)",
)

# ------------------------------------------------------------------------- SC9xx the tool
_code(
    "SC901",
    "unknown-op",
    W,
    "shapecalc has no shape rule for this op; shapes after it are not checked.",
    what="Reports a module, function or method that shapecalc cannot model. Its output is "
    "opaque: later layers that depend on it are not checked, and no error is invented.",
    why="Errors downstream of the op may go unreported.",
    example="y = my_cuda_extension.op(x)",
    instead="Nothing to change in the model. Suppress with '# shapecalc: ignore[SC901]' or "
    "ask for a rule.",
)
_code(
    "SC902",
    "unused-suppression",
    W,
    "A '# shapecalc: ignore[...]' comment suppresses nothing.",
    what="Reports suppression comments, and codes inside them, that matched no finding.",
    why="Stale suppressions hide future errors on that line and mislead readers.",
    example="self.fc = nn.Linear(864, 10)  # shapecalc: ignore[SC401]   (no SC401 here)",
    instead="self.fc = nn.Linear(864, 10)",
)
_code(
    "SC903",
    "rule-failed",
    W,
    "shapecalc's rule for this op failed; shapes after it are not checked.",
    what="A shape rule raised or could not bind the op's arguments. This is a bug in "
    "shapecalc, never in your model; the op's output is treated as opaque.",
    why="Errors downstream of the op may go unreported.",
    example="(any op; the message names it and the internal reason)",
    instead="Please report it with the message; suppress with '# shapecalc: ignore[SC903]'.",
)
_code(
    "SC904",
    "no-valid-input",
    E,
    "No input size satisfies the model's constraints.",
    what="With symbolic inputs, collects the conditions every layer puts on the input sizes "
    "and reports when together they exclude every size.",
    why="The model fails for every input: some layer's size is wrong for all of them.",
    example="two branches that need H % 2 == 0 and H % 2 == 1",
    instead="Fix the layer named in the message.",
)
_code(
    "SC905",
    "needs-concrete-size",
    I,
    "An op needs a concrete size where the analysis has a symbolic one.",
    what="Some arguments (a Python range over a size, a size used as a float) need an actual "
    "number; the op's output is opaque at symbolic sizes.",
    why="Shapes after it are not checked at symbolic sizes.",
    example="torch.arange(x.size(-1) / 2)",
    instead="Run with concrete sizes (--input 1,3,224,224) to check this part.",
)

_code(
    "SC920",
    "torch-shape-mismatch",
    E,
    "A real PyTorch forward gave a layer another shape than shapecalc predicted.",
    what="Reported by `shapecalc verify` (and `--verify`): at a concrete input size, the model "
    "ran on CPU and a layer's real output shape differs from the static prediction at that "
    "size.",
    why="The prediction is wrong: a shape rule in shapecalc disagrees with PyTorch. This is a "
    "bug in shapecalc (or a layer whose behaviour shapecalc does not model), not in your model.",
    example="MaxPool2d 'pool' at H=W=32: shapecalc predicts (1, 6, 15, 15), torch gives "
    "(1, 6, 16, 16)",
    instead="Please report it with the message; the first layer listed is where the "
    "prediction went wrong.",
)
_code(
    "SC921",
    "torch-verdict-mismatch",
    E,
    "shapecalc and a real PyTorch forward disagree on whether an input size is valid.",
    what="Reported by `shapecalc verify`: at a concrete input size, the static analysis found "
    "an error but torch ran the forward, or it found none but torch raised.",
    why="Either a false alarm (torch accepts the size) or a missed error (torch rejects it); "
    "both mean shapecalc's rules and PyTorch differ somewhere.",
    example="shapecalc reports SC401 at H=W=31, torch runs the forward",
    instead="Please report it with the message; the torch error names the layer that failed.",
)


def severity_of(code: str) -> Severity:
    return CODES[code].severity


def matches(code: str, selectors: list[str] | tuple[str, ...]) -> bool:
    """True when code is one of the selectors or starts with one (ruff-style prefixes)."""
    return any(code.startswith(s) for s in selectors)
