"""Latent codes: interpolation and vector arithmetic."""
