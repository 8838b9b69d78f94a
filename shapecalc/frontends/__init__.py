"""Frontends build a LayerGraph: from torch modules (torch.py), from the DSL (dsl.py), or from
single torch expressions (expression.py)."""
