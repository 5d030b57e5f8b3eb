"""latentkit's pretrained bundles (installed as the package ``latentkit_pretrained``).

Each folder is one bundle: ``bundle.json`` (what it holds), ``MODEL_CARD.md`` (how it was made and
what it measures) and safetensors / ``.npz`` files. See ``latentkit.io.bundles``.
"""
