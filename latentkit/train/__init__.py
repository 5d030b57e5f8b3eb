"""Training: losses, the GAN loop (DDP-aware), run folders with checkpoints and resume."""
