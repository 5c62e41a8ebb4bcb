"""Writes the PyTorch parity fixtures of Kasane's grouped and depthwise int8 convolution (QuantizedGroupedConvTest) and of
quantization-aware training with the batch norm inside the convolution (QatConvBn2dTest, "qat_conv_bn").

Run with a Python that has torch (here: /usr/bin/python3, PyTorch 1.13):

    /usr/bin/python3 nn-layers/src/test/python/gen_quantized_conv_fixtures.py

Same format as gen_nn_fixtures.py (whose writer it uses): each case becomes nn-layers/src/test/resources/nn/<case>.txt
with the float input, weight and bias, the input's and the weight's quantization parameters (the weight symmetric
qint8 per output channel, as PerChannelMinMaxObserver gives them), the output's, and torch.ao.nn.quantized.Conv2d's
output (int_repr, engine printed below). The input's quantized values stay in [0, 128] so that no x86 u8 x s8 kernel
can saturate its 16-bit pair sums (255 * 127 * 2 > 32767), which would make PyTorch's result depend on the CPU.
"""
import os
import sys

import torch
import torch.ao.nn.quantized as nnq
from torch.ao.quantization import FakeQuantize, QConfig
from torch.ao.quantization.observer import MinMaxObserver, PerChannelMinMaxObserver
from torch.nn.intrinsic.qat import ConvBn2d

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_nn_fixtures import write  # noqa: E402


def case(name, n, cin, cout, size, kernel, stride, padding, dilation, groups, padding_mode="zeros"):
    x = torch.rand(n, cin, size, size) * 2 - 1
    conv = torch.nn.Conv2d(cin, cout, kernel, stride, padding, dilation, groups, True, padding_mode)
    in_scale, in_zp = 1.0 / 64, 64
    observer = PerChannelMinMaxObserver(ch_axis=0, dtype=torch.qint8, qscheme=torch.per_channel_symmetric)
    observer(conv.weight)
    w_scale, w_zp = observer.calculate_qparams()
    qw = torch.quantize_per_channel(conv.weight.detach(), w_scale.double(), w_zp, 0, torch.qint8)
    qx = torch.quantize_per_tensor(x, in_scale, in_zp, torch.quint8)
    with torch.no_grad():
        reference = conv(qx.dequantize())  # float conv of the quantized values, to choose the output range
    lo, hi = min(reference.min().item(), 0.0), max(reference.max().item(), 0.0)
    out_scale = (hi - lo) / 255
    out_zp = int(round(-lo / out_scale))
    qconv = nnq.Conv2d(cin, cout, kernel, stride, padding, dilation, groups, True, padding_mode)
    qconv.set_weight_bias(qw, conv.bias.detach())
    qconv.scale, qconv.zero_point = out_scale, out_zp
    y = qconv(qx)
    write(name, {"x": x, "weight": conv.weight, "bias": conv.bias, "input_scale": torch.tensor([in_scale]),
                 "input_zero_point": torch.tensor([in_zp]), "weight_scale": w_scale.float(),
                 "output_scale": torch.tensor([out_scale]), "output_zero_point": torch.tensor([out_zp]),
                 "output_int": y.int_repr().long()})


def qat_conv_bn():
    """torch.nn.intrinsic.qat.ConvBn2d (_forward_approximate) on an input fake-quantized with its min-max range: one
    training step with batch statistics (output, gradients, running statistics), then one with frozen statistics."""
    qconfig = QConfig(
        activation=FakeQuantize.with_args(observer=MinMaxObserver, quant_min=0, quant_max=255, dtype=torch.quint8,
                                          qscheme=torch.per_tensor_affine),
        weight=FakeQuantize.with_args(observer=PerChannelMinMaxObserver, quant_min=-128, quant_max=127,
                                      dtype=torch.qint8, qscheme=torch.per_channel_symmetric, ch_axis=0))
    m = ConvBn2d(3, 4, 3, stride=1, padding=1, bias=True, qconfig=qconfig)
    with torch.no_grad():
        m.bn.running_mean.copy_(torch.randn(4) * 0.3)
        m.bn.running_var.copy_(torch.rand(4) + 0.5)
        m.bn.weight.copy_(torch.randn(4) * 0.5 + 1)
        m.bn.bias.copy_(torch.randn(4) * 0.5)
    state = {"weight": m.weight.detach().clone(), "bias": m.bias.detach().clone(),
             "bn_weight": m.bn.weight.detach().clone(), "bn_bias": m.bn.bias.detach().clone(),
             "running_mean": m.bn.running_mean.clone(), "running_var": m.bn.running_var.clone()}
    x = (torch.randn(4, 3, 6, 6) * 1.5 + 0.2).requires_grad_(True)
    observer = MinMaxObserver(dtype=torch.quint8, qscheme=torch.per_tensor_affine)
    observer(x.detach())
    scale, zp = observer.calculate_qparams()
    m.train()
    y = m(torch.fake_quantize_per_tensor_affine(x, float(scale), int(zp), 0, 255))
    gy = torch.randn_like(y)
    y.backward(gy)
    out = {**state, "x": x.detach(), "output": y, "grad_output": gy, "grad_x": x.grad, "grad_weight": m.weight.grad,
           "grad_bias": m.bias.grad, "grad_bn_weight": m.bn.weight.grad, "grad_bn_bias": m.bn.bias.grad,
           "running_mean_after": m.bn.running_mean.clone(), "running_var_after": m.bn.running_var.clone()}
    m.freeze_bn_stats()
    m.weight_fake_quant.activation_post_process.reset_min_max_vals()  # Kasane takes the weight's range afresh
    with torch.no_grad():
        out["output_frozen"] = m(torch.fake_quantize_per_tensor_affine(x.detach(), float(scale), int(zp), 0, 255))
    write("qat_conv_bn", out)


def main():
    torch.manual_seed(31)
    print("quantized engine:", torch.backends.quantized.engine)
    case("qconv_groups2", 2, 4, 6, 7, 3, 1, 1, 1, 2)
    # MobileNetV2's depthwise 3x3, stride 2, padding 1
    case("qconv_depthwise", 2, 8, 8, 9, 3, 2, 1, 1, 8)
    # depthwise with a channel multiplier of 2 and reflect padding (PyTorch pads the quantized input first)
    case("qconv_depthwise_reflect", 1, 4, 8, 6, 3, 1, 1, 1, 4, "reflect")
    case("qconv_groups3_dilated", 1, 6, 9, 8, 3, 1, 2, 2, 3)
    qat_conv_bn()


if __name__ == "__main__":
    main()
