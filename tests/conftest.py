"""Test configuration: strict mode (an op without a rule fails the test) and hypothesis
profiles. The default profile draws 100+ cases per property; ``--hypothesis-profile
thorough`` draws 10,000 (see README)."""

from __future__ import annotations

import os
import warnings

from hypothesis import HealthCheck, settings

os.environ.setdefault("SHAPECALC_STRICT", "1")

_common = dict(
    deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
settings.register_profile("default", max_examples=120, **_common)
settings.register_profile("thorough", max_examples=10_000, **_common)
settings.register_profile("quick", max_examples=20, **_common)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

warnings.filterwarnings("ignore", message="Initializing zero-element tensors is a no-op")
warnings.filterwarnings("ignore", message=".*padding='same' with even kernel lengths.*")
