"""Measurements: each a function of inputs and options returning named numbers."""
