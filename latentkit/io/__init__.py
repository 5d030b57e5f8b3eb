"""Reading and writing latentkit's files: checkpoints, models, images; always atomically."""
