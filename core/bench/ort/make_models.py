#!/usr/bin/python3
# Writes the two attention graphs for ONNX Runtime: fused com.microsoft MultiHeadAttention and the plain
# MatMul -> Softmax -> MatMul graph, for each n given; 8 heads, d_head 64, fp32, no mask.
# usage: make_models.py OUT_DIR N...
import sys, math
import onnx
from onnx import helper, TensorProto

def fused(n, heads, d):
    h = heads * d
    q = helper.make_tensor_value_info("q", TensorProto.FLOAT, [1, n, h])
    k = helper.make_tensor_value_info("k", TensorProto.FLOAT, [1, n, h])
    v = helper.make_tensor_value_info("v", TensorProto.FLOAT, [1, n, h])
    o = helper.make_tensor_value_info("o", TensorProto.FLOAT, [1, n, h])
    node = helper.make_node("MultiHeadAttention", ["q", "k", "v"], ["o"], domain="com.microsoft",
                            num_heads=heads)
    g = helper.make_graph([node], "mha", [q, k, v], [o])
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", 17),
                                               helper.make_opsetid("com.microsoft", 1)])

def plain(n, heads, d):
    q = helper.make_tensor_value_info("q", TensorProto.FLOAT, [1, heads, n, d])
    k = helper.make_tensor_value_info("k", TensorProto.FLOAT, [1, heads, n, d])
    v = helper.make_tensor_value_info("v", TensorProto.FLOAT, [1, heads, n, d])
    o = helper.make_tensor_value_info("o", TensorProto.FLOAT, [1, heads, n, d])
    scale = helper.make_tensor("scale", TensorProto.FLOAT, [], [1.0 / math.sqrt(d)])
    nodes = [
        helper.make_node("Transpose", ["k"], ["kt"], perm=[0, 1, 3, 2]),
        helper.make_node("MatMul", ["q", "kt"], ["s0"]),
        helper.make_node("Mul", ["s0", "scale"], ["s"]),
        helper.make_node("Softmax", ["s"], ["p"], axis=-1),
        helper.make_node("MatMul", ["p", "v"], ["o"]),
    ]
    g = helper.make_graph(nodes, "plain", [q, k, v], [o], initializer=[scale])
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])

out = sys.argv[1]
for n in [int(x) for x in sys.argv[2:]]:
    onnx.save(fused(n, 8, 64), f"{out}/mha_{n}.onnx")
    onnx.save(plain(n, 8, 64), f"{out}/plain_{n}.onnx")
