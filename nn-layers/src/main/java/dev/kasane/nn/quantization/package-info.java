/**
 * Int8 quantization: quantize and dequantize ops, observers that choose scales and zero points as PyTorch's
 * {@code torch.ao.quantization} observers do, fake quantization with straight-through gradients, conv + batch-norm
 * folding, post-training static quantization of {@code Conv2d} and {@code Linear} layers into layers whose kernels
 * run int8 x int8 products with int32 accumulation ({@link dev.kasane.nn.quantization.Int8Gemm}), quantization-aware
 * training, and safetensors checkpoints of quantized models ({@link dev.kasane.nn.quantization.Quantization}).
 */
package dev.kasane.nn.quantization;
