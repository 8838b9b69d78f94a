"""Sequence models: recurrent taggers, attention with masks, transformer stacks built from
other modules, and a ViT whose encoder is nn.TransformerEncoder."""

# shapecalc: model=MaskedAttention input=B,L,16 input=B,S,6 input=B,S:bool
# shapecalc: model=Seq2Seq input=S,B,16 input=T,B,16
# shapecalc: model=SDPABlock input=B,T,32

import torch
import torch.nn as nn


class Tagger(nn.Module):
    """A bidirectional two-layer LSTM with a projection, its states unpacked, then a linear
    classifier per step."""

    def __init__(self, features=12, hidden=16, tags=5):
        super().__init__()
        self.lstm = nn.LSTM(
            features, hidden, num_layers=2, batch_first=True, bidirectional=True, proj_size=8
        )
        self.head = nn.Linear(2 * 8, tags)

    def forward(self, x):
        out, (h, c) = self.lstm(x)
        return self.head(out), h, c


class GRUEncoder(nn.Module):
    """A GRU fed its own initial state, the last layer's final state classified."""

    def __init__(self, features=6, hidden=10, layers=3):
        super().__init__()
        self.layers = layers
        self.hidden = hidden
        self.gru = nn.GRU(features, hidden, layers)
        self.cell = nn.GRUCell(hidden, hidden)
        self.head = nn.Linear(hidden, 2)

    def forward(self, x):
        h0 = torch.zeros(self.layers, x.size(1), self.hidden)
        out, h = self.gru(x, h0)
        last = self.cell(out[-1], h[-1])
        return self.head(last)


class MaskedAttention(nn.Module):
    """Cross attention with a key padding mask, and the averaged weights returned too."""

    def __init__(self, dim=16, heads=4, kdim=6):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, kdim=kdim, vdim=kdim, batch_first=True)

    def forward(self, q, kv, pad):
        out, weights = self.attn(q, kv, kv, key_padding_mask=pad)
        return out, weights


class Seq2Seq(nn.Module):
    """nn.Transformer with a causal target mask (torch.full, then torch.triu)."""

    def __init__(self, dim=16, heads=2):
        super().__init__()
        self.transformer = nn.Transformer(
            dim, heads, num_encoder_layers=2, num_decoder_layers=1, dim_feedforward=32
        )
        self.out = nn.Linear(dim, 7)

    def forward(self, src, tgt):
        mask = nn.Transformer.generate_square_subsequent_mask(tgt.size(0))
        return self.out(self.transformer(src, tgt, tgt_mask=mask))


class EncoderViT(nn.Module):
    """Patches, a class token and a position embedding, then nn.TransformerEncoder built from
    an nn.TransformerEncoderLayer, with a final LayerNorm inside the encoder."""

    def __init__(self, image=32, patch=8, dim=32, heads=4, depth=2, classes=10):
        super().__init__()
        self.patch = nn.Conv2d(3, dim, kernel_size=patch, stride=patch)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, (image // patch) ** 2 + 1, dim))
        layer = nn.TransformerEncoderLayer(
            dim, heads, dim_feedforward=2 * dim, activation="gelu", batch_first=True
        )
        self.encoder = nn.TransformerEncoder(layer, depth, norm=nn.LayerNorm(dim))
        self.head = nn.Linear(dim, classes)

    def forward(self, x):
        x = self.patch(x).flatten(2).transpose(1, 2)
        cls = self.cls_token.expand(x.shape[0], -1, -1)
        x = torch.cat([cls, x], dim=1) + self.pos_embed
        return self.head(self.encoder(x)[:, 0])


class SDPABlock(nn.Module):
    """Attention written with F.scaled_dot_product_attention and grouped key/value heads."""

    def __init__(self, dim=32, heads=4, kv_heads=2):
        super().__init__()
        self.heads, self.kv_heads = heads, kv_heads
        self.head_dim = dim // heads
        self.q = nn.Linear(dim, dim)
        self.kv = nn.Linear(dim, 2 * kv_heads * self.head_dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, t, c = x.shape
        q = self.q(x).view(b, t, self.heads, self.head_dim).transpose(1, 2)
        k, v = self.kv(x).view(b, t, 2, self.kv_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        y = nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True)
        return self.proj(y.transpose(1, 2).reshape(b, t, c))


class Branchy(nn.Module):
    """A forward fx cannot trace (a branch on a size): recorded on meta tensors, with the LSTM's
    nested tuple output unpacked and sliced, and attention weights returned."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(8, 16, batch_first=True, bidirectional=True)
        self.attn = nn.MultiheadAttention(32, 4, batch_first=True)
        self.fc = nn.Linear(32, 3)

    def forward(self, x):
        out, (h, c) = self.lstm(x)
        if out.shape[1] > 4:
            out = out[:, :4]
        y, w = self.attn(out, out, out)
        return self.fc(y.mean(1) + h[-1].repeat(1, 2)), w


class RejectedHeads(nn.Module):
    """64 features do not split into 3 heads: torch rejects the attention's arguments."""

    def __init__(self):
        super().__init__()
        self.attn = nn.MultiheadAttention(64, 3, batch_first=True)
        self.head = nn.Linear(64, 2)

    def forward(self, x):
        return self.head(self.attn(x, x, x)[0])


class RejectedEncoder(nn.Module):
    """An encoder stacking a layer torch rejects (d_model 10, nhead 3)."""

    def __init__(self):
        super().__init__()
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(10, 3, 16), 2)

    def forward(self, x):
        return self.encoder(x)
