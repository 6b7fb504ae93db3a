"""Model descriptors from checkpoint files, without loading the model (no torch needed).

    import bitplan
    descriptor = bitplan.describe_checkpoint("Mistral-7B-v0.1")   # a directory, .safetensors, index.json or .gguf
    descriptor = bitplan.describe_checkpoint("model-f16.gguf", weight_stats=True)

The same descriptor as `npx bitplan describe`: only headers are read (safetensors' JSON header,
GGUF's tensor table); with weight_stats=True each float weight is read once, in pieces (numpy).
"""

from .describe import describe_checkpoint

__all__ = ["describe_checkpoint"]
