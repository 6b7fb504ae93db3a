"""What a tensor is in a decoder checkpoint, by its name (the same schemes as the Node CLI).

Hugging Face module names of Llama, Mistral, Qwen2, Mixtral and DeepSeek-V3, and their GGUF
names (llama.cpp's tensor_mapping.py): the input a layer reads (layers reading one input are
what runtimes fuse: q/k/v, gate/up), whether it is a routed expert, and what is not planned
(routers stay in the model precision in every runtime).
"""

import re
from typing import Callable, List, Optional, Tuple

Role = Tuple[str, bool]  # (the producer whose output the layer reads, routed expert)
_Rule = Tuple["re.Pattern[str]", Callable[["re.Match[str]"], Role]]


def _rules(pairs: List[Tuple[str, Callable[["re.Match[str]"], Role]]]) -> List[_Rule]:
    return [(re.compile(pattern), make) for pattern, make in pairs]


HF_RULES = _rules([
    (r"^model\.embed_tokens$", lambda m: ("input_ids", False)),
    (r"^lm_head$", lambda m: ("model.norm", False)),
    (r"^(model\.layers\.\d+)\.self_attn\.(q|k|v)_proj$", lambda m: (f"{m[1]}.input_layernorm", False)),
    (r"^(model\.layers\.\d+)\.self_attn\.(q_a_proj|kv_a_proj_with_mqa)$", lambda m: (f"{m[1]}.input_layernorm", False)),
    (r"^(model\.layers\.\d+)\.self_attn\.q_b_proj$", lambda m: (f"{m[1]}.self_attn.q_a_layernorm", False)),
    (r"^(model\.layers\.\d+)\.self_attn\.kv_b_proj$", lambda m: (f"{m[1]}.self_attn.kv_a_layernorm", False)),
    (r"^(model\.layers\.\d+)\.self_attn\.o_proj$", lambda m: (f"{m[1]}.self_attn", False)),
    (r"^(model\.layers\.\d+)\.mlp\.(shared_experts\.)?(gate|up)_proj$", lambda m: (f"{m[1]}.post_attention_layernorm", False)),
    (r"^(model\.layers\.\d+\.mlp(\.shared_experts)?)\.down_proj$", lambda m: (f"{m[1]}.act_fn", False)),
    (r"^(model\.layers\.\d+)\.mlp\.experts\.\d+\.(gate|up)_proj$", lambda m: (f"{m[1]}.post_attention_layernorm", True)),
    (r"^(model\.layers\.\d+\.mlp\.experts\.\d+)\.down_proj$", lambda m: (f"{m[1]}.act_fn", True)),
    (r"^(model\.layers\.\d+)\.block_sparse_moe\.experts\.\d+\.(w1|w3)$", lambda m: (f"{m[1]}.post_attention_layernorm", True)),
    (r"^(model\.layers\.\d+\.block_sparse_moe\.experts\.\d+)\.w2$", lambda m: (f"{m[1]}.act_fn", True)),
])

GGUF_RULES = _rules([
    (r"^token_embd$", lambda m: ("input_ids", False)),
    (r"^output$", lambda m: ("output_norm", False)),
    (r"^(blk\.\d+)\.attn_(q|k|v|qkv|q_a|kv_a_mqa)$", lambda m: (f"{m[1]}.attn_norm", False)),
    (r"^(blk\.\d+)\.attn_q_b$", lambda m: (f"{m[1]}.attn_q_a_norm", False)),
    (r"^(blk\.\d+)\.attn_kv_b$", lambda m: (f"{m[1]}.attn_kv_a_norm", False)),
    (r"^(blk\.\d+)\.attn_output$", lambda m: (f"{m[1]}.attn", False)),
    (r"^(blk\.\d+)\.ffn_(gate|up)(_shexp)?$", lambda m: (f"{m[1]}.ffn_norm", False)),
    (r"^(blk\.\d+)\.ffn_down(_shexp)?$", lambda m: (f"{m[1]}.ffn_act{m[2] or ''}", False)),
    (r"^(blk\.\d+)\.ffn_(gate|up)_exps$", lambda m: (f"{m[1]}.ffn_norm", True)),
    (r"^(blk\.\d+)\.ffn_down_exps$", lambda m: (f"{m[1]}.ffn_act_exps", True)),
])

KEPT = [re.compile(p) for p in (r"\.mlp\.gate$", r"\.block_sparse_moe\.gate$", r"\.ffn_gate_inp(_shexp)?$", r"\.mlp\.shared_expert_gate$")]

# Hugging Face module names to GGUF tensor names (llama.cpp tensor_mapping.py), as the exports use them.
HF_TO_GGUF = [(re.compile(p), r) for p, r in [
    (r"^model\.embed_tokens$", "token_embd"),
    (r"^lm_head$", "output"),
    (r"^model\.layers\.(\d+)\.self_attn\.q_proj$", r"blk.\1.attn_q"),
    (r"^model\.layers\.(\d+)\.self_attn\.k_proj$", r"blk.\1.attn_k"),
    (r"^model\.layers\.(\d+)\.self_attn\.v_proj$", r"blk.\1.attn_v"),
    (r"^model\.layers\.(\d+)\.self_attn\.o_proj$", r"blk.\1.attn_output"),
    (r"^model\.layers\.(\d+)\.self_attn\.q_a_proj$", r"blk.\1.attn_q_a"),
    (r"^model\.layers\.(\d+)\.self_attn\.q_b_proj$", r"blk.\1.attn_q_b"),
    (r"^model\.layers\.(\d+)\.self_attn\.kv_a_proj_with_mqa$", r"blk.\1.attn_kv_a_mqa"),
    (r"^model\.layers\.(\d+)\.self_attn\.kv_b_proj$", r"blk.\1.attn_kv_b"),
    (r"^model\.layers\.(\d+)\.mlp\.(gate|up|down)_proj$", r"blk.\1.ffn_\2"),
    (r"^model\.layers\.(\d+)\.mlp\.shared_experts\.(gate|up|down)_proj$", r"blk.\1.ffn_\2_shexp"),
    (r"^model\.layers\.(\d+)\.mlp\.experts\.\d+\.(gate|up|down)_proj$", r"blk.\1.ffn_\2_exps"),
    (r"^model\.layers\.(\d+)\.block_sparse_moe\.experts\.\d+\.w1$", r"blk.\1.ffn_gate_exps"),
    (r"^model\.layers\.(\d+)\.block_sparse_moe\.experts\.\d+\.w3$", r"blk.\1.ffn_up_exps"),
    (r"^model\.layers\.(\d+)\.block_sparse_moe\.experts\.\d+\.w2$", r"blk.\1.ffn_down_exps"),
]]
GGUF_STYLE = re.compile(r"^(token_embd|output|blk\.\d+\.[a-z0-9_]+)$")


def tensor_role(module: str, layout: str) -> Optional[Role]:
    for pattern, make in GGUF_RULES if layout == "gguf" else HF_RULES:
        match = pattern.match(module)
        if match:
            return make(match)
    return None


def kept_in_model_precision(module: str) -> bool:
    return any(p.search(module) for p in KEPT)


def gguf_name(module: str) -> Optional[str]:
    for pattern, replacement in HF_TO_GGUF:
        if pattern.match(module):
            return pattern.sub(replacement, module)
    return module if GGUF_STYLE.match(module) else None


# A projection's place in its block: attention (q, k, v, low-rank halves, o), then the MLP.
STAGES = [(re.compile(p), n) for p, n in [
    (r"(\.q_proj|\.attn_q|\.attn_qkv|\.q_a_proj|\.attn_q_a)$", 0),
    (r"(\.k_proj|\.attn_k|\.kv_a_proj_with_mqa|\.attn_kv_a_mqa)$", 1),
    (r"(\.v_proj|\.attn_v)$", 2),
    (r"(\.q_b_proj|\.attn_q_b)$", 3),
    (r"(\.kv_b_proj|\.attn_kv_b)$", 4),
    (r"(\.o_proj|\.attn_output)$", 5),
    (r"(\.gate_proj|\.w1|\.ffn_gate(_exps|_shexp)?)$", 6),
    (r"(\.up_proj|\.w3|\.ffn_up(_exps|_shexp)?)$", 7),
    (r"(\.down_proj|\.w2|\.ffn_down(_exps|_shexp)?)$", 8),
]]
