"""Model engines: plain Python + torch/bpy, importable without Django configured."""
