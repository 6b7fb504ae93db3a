"""bitplan: the client of the bitplan mixed-precision planner.

    import bitplan
    client = bitplan.Client()                      # BITPLAN_URL, else http://localhost:8080
    plan = client.plan(seed="resnet18-hawq-v3", budgets=[{"metric": "sizeBytes", "fraction": 0.5}])
    bitplan.choice(plan)                           # {layer name: candidate}

`bitplan.torch` measures the evidence of a PyTorch model (it imports torch; this module does not).
`bitplan.describe_checkpoint(path)` describes a safetensors or GGUF checkpoint from its headers.
"""

from .checkpoint import describe_checkpoint
from .client import DEFAULT_URL, BitplanError, Client, apply, choice, pinned

__all__ = ["Client", "BitplanError", "DEFAULT_URL", "apply", "choice", "pinned", "describe_checkpoint"]
__version__ = "0.1.0"
