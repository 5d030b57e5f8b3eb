"""Directions in latent space: SVM boundaries, conditional projection, edit paths."""
