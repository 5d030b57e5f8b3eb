"""Attribute scorers: analytic attributes, trained predictors and users' TorchScript scorers."""
