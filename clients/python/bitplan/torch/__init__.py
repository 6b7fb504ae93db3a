"""bitplan.torch: measure a PyTorch model's evidence for bitplan.

    import bitplan, bitplan.torch as bt
    descriptor = bt.describe(model, example_inputs)                    # layers, params, MACs
    loss = bt.kl_to_float(model, batches)          # or bt.supervised(nn.CrossEntropyLoss())
    traces = bt.hutchinson_traces(model, loss, batches)
    errors = bt.weight_errors(model, ["int2", "int3", "int4", "int8"])  # ||Q(W) - W||^2
    descriptor = bt.evidence(descriptor, traces=traces, errors=errors)
    # or measured loss changes, and pairwise interactions among the most sensitive layers:
    #   deltas = bt.loss_deltas(model, loss, batches, formats)
    #   deltas = bt.noise_sensitivities(model, loss, batches, formats)   # O(layers), not O(layers x formats)
    #   pairs = bt.pair_deltas(model, loss, batches, ["int2", "int3", "int4"], top=4 * layers)
    #   descriptor = bt.evidence(descriptor, deltas=deltas, interactions=pairs)
    plan = bitplan.Client().plan(model=descriptor, candidates=["int2", "int3", "int4", "int8"],
                                 budgets=[{"metric": "avgBits", "max": 4.0}])
    quantized = bt.quantize_weights(model, plan)

Every measurement carries its standard error, so that the service can tell evidence from noise
(a trace within 3 standard errors of 0, loss changes that grow with precision).

Layers are every weight a quantizer would touch (layers.planned_weights): Linear, ConvNd,
Embedding and Hugging Face Conv1D modules by their qualified names, and every other
floating-point parameter of two or more dimensions (nn.MultiheadAttention's in_proj_weight,
nn.LSTM/GRU/RNN weights per layer and direction) by its qualified parameter name. Biases and
norms are not planned: they stay in the model's precision and in no cost. The default quantizer
is symmetric per output channel for `intB` (scale = the row's absolute maximum / (2^(B-1) - 1),
round to nearest) and per group of N along the row for `intB-gN`; `fp16`, `bf16` and `fp32` are
casts. Any other format needs `quantizer(weight, format) -> tensor`, which every function here
takes. Long measurements show progress on stderr (`progress=False` turns it off).

Modules by concern: layers (what is planned), macs (counting operations), describe,
quantizers, losses, measurements (traces, loss and pair deltas), noise (loss changes from one
noise measurement per layer, the linearity theorem), activations (inputs rounded to a
candidate's activation format), distributed (sharing them among the ranks
of torch.distributed), evidence, progress.
"""

from .describe import describe
from .evidence import evidence
from .layers import QUANTIZABLE, WIDE_FLOATS, WeightSlot, planned_weights, quantizable_layers
from .losses import LossFn, kl_to_float, supervised
from .measurements import hutchinson_traces, loss_deltas, pair_deltas
from .noise import noise_sensitivities, relative_errors
from .activations import calibrate_ranges, fake_quantize
from .quantizers import Quantizer, quantize, quantize_tensor, quantize_weights, weight_errors, weight_format, weight_stats

__all__ = [
    "QUANTIZABLE",
    "WIDE_FLOATS",
    "LossFn",
    "Quantizer",
    "WeightSlot",
    "describe",
    "evidence",
    "hutchinson_traces",
    "kl_to_float",
    "loss_deltas",
    "noise_sensitivities",
    "pair_deltas",
    "planned_weights",
    "quantizable_layers",
    "calibrate_ranges",
    "fake_quantize",
    "quantize",
    "quantize_tensor",
    "quantize_weights",
    "relative_errors",
    "supervised",
    "weight_errors",
    "weight_format",
    "weight_stats",
]
