"""Dropout layers against real torch (training mode, as modules are built): every rank from
0 to 6, module and functional forms; warnings only where torch runs."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ..difftest import assert_agree

FORMS = [
    "nn.Dropout({p})(x)",
    "nn.AlphaDropout({p})(x)",
    "nn.Dropout1d({p})(x)",
    "nn.Dropout2d({p})(x)",
    "nn.Dropout3d({p})(x)",
    "nn.FeatureAlphaDropout({p})(x)",
    "nn.Dropout2d({p}).eval()(x)",
    "F.dropout(x, {p})",
    "F.dropout1d(x, {p}, training={t})",
    "F.dropout2d(x, {p}, training={t})",
    "F.dropout3d(x, {p}, training={t})",
    "F.alpha_dropout(x, {p}, training={t})",
    "F.feature_alpha_dropout(x, {p}, training={t})",
]


@given(
    st.sampled_from(FORMS),
    st.lists(st.integers(1, 3), max_size=6).map(tuple),
    st.sampled_from([0.0, 0.2, 0.5]),
    st.booleans(),
)
def test_dropout_matches_torch(form, shape, p, training):
    source = form.format(p=p, t=training)
    if ".eval()" in source and len(shape) < 2:
        return  # eval mode skips feature dropout's rank check; modules are checked as training
    assert_agree(source, {"x": shape})
