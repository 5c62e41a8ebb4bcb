package dev.kasane.tensor.spi;

import dev.kasane.tensor.Conv2dSpec;
import dev.kasane.tensor.Convolution;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;

/**
 * The narrow service-provider interface that a compute backend implements. Backends are found with
 * {@link java.util.ServiceLoader} (register the implementation in
 * {@code META-INF/services/dev.kasane.tensor.spi.Backend}); they need a public no-argument constructor
 * and must be cheap to construct (do device discovery lazily).
 *
 * <p>Every method takes {@link NDArray} strided views: read them with {@link NDArray#storage()},
 * {@link NDArray#offset()}, {@link NDArray#dim()}, {@link NDArray#size(int)} and {@link NDArray#stride(int)}.
 * Strides can be zero (broadcast) or negative (flipped views); the element at index {@code (i0..in)} is at
 * {@code offset + sum(ik * stride(k))} of the storage. All arrays passed to one call live on this
 * backend's device; the caller has checked shapes, dtypes and devices, so a backend validates only what
 * depends on values (index ranges). Destinations are never broadcast views (no zero strides) and never
 * overlap a source except by being the very same view (in-place ops), which every elementwise primitive
 * must support.
 *
 * <p>Everything else (softmax, variance, padding, concatenation, matmul broadcasting, ...) is written once in
 * core-tensor in terms of these primitives.
 *
 * <p>Kernels that serve one layer or optimizer (batch norm, the ReLU family's backward, Adam's update) are not part of
 * this interface: a backend may offer them as optional extensions ({@link FusedActivations}, {@link FusedBatchNorm},
 * {@link FusedUpdates}) through {@link #extension}, and their callers run the composed version when it offers none
 * or declines a call.
 */
public interface Backend {
    /**
     * The device type this backend serves: the open key of {@link Device#type()} ({@code "cpu"}, {@code "opencl"}, or
     * a new backend's own name). The first backend found for a type serves it.
     */
    String deviceType();

    /**
     * Checks that {@code device} (of {@link #deviceType()}) exists and can be used.
     *
     * @throws IllegalArgumentException naming the device and what to install or choose instead
     */
    void checkDevice(Device device);

    /**
     * Waits until every operation queued on {@code device} has finished (PyTorch's {@code cuda.synchronize}). Backends
     * that run each call to completion, like the CPU backend, need not override it. Used to time asynchronous devices.
     */
    default void synchronize(Device device) {
    }

    /** Allocates storage of {@code size} elements; contents are unspecified. */
    Storage allocate(Device device, DType dtype, int size);

    /**
     * Takes back {@code storage}, which nothing will read or write again, so that a later {@link #allocate} may reuse
     * its memory (PyTorch's caching allocator does this when a tensor's last reference goes). Autograd calls it for
     * the gradients it allocated and consumed within one backward run. A backend may ignore the call (the default);
     * one that reuses the memory must make any later use of {@code storage} fail loudly rather than read reused data.
     */
    default void recycle(Storage storage) {
    }

    /**
     * Creates storage holding the elements of {@code hostArray}, which has {@code dtype}'s host type
     * ({@code float[]}, {@code double[]}, {@code int[]}, {@code long[]}, or {@code byte[]} for BOOL and U8).
     * The caller hands the array over: it must not read or modify it afterwards, and a backend may keep it as the
     * storage itself without copying (the CPU backend does). Callers that keep using their array pass a copy.
     */
    Storage upload(Device device, DType dtype, Object hostArray);

    /**
     * {@code dst[i] = value} converted to {@code dst}'s dtype as {@link #copy} converts from F64 (float to integer
     * truncates toward zero and saturates, NaN gives 0, to BOOL tests {@code != 0}, to U8 keeps the low 8 bits of the
     * truncated value). {@code dst} may be strided, never broadcast. No host array is involved, so on an accelerator
     * this is a kernel launch, not a transfer.
     */
    void fill(NDArray dst, double value);

    /**
     * {@code dst[i] = value} converted to {@code dst}'s dtype as {@link #copy} converts from I64: exact for I64 (also
     * past 2^53), the low 32 or 8 bits for I32 and U8, {@code != 0} for BOOL, rounded for F32 and F64. {@code dst} may
     * be strided, never broadcast.
     */
    void fill(NDArray dst, long value);

    /**
     * Copies the elements of {@code src} in row-major order into {@code hostArray}, a host array of
     * {@code src}'s dtype with exactly {@code src.numel()} elements.
     */
    void download(NDArray src, Object hostArray);

    /**
     * {@code dst[i] = convert(src[i])} for every index of {@code dst}; both have the same shape. When the
     * dtypes differ the value is converted: float to integer truncates toward zero, anything to BOOL tests
     * {@code != 0}, BOOL to anything gives 0 or 1, integer to U8 keeps the low 8 bits.
     */
    void copy(NDArray src, NDArray dst);

    /** {@code dst[i] = op(src[i])}; same shape and dtype (see {@link UnaryOp} for which dtypes each op takes). */
    void unary(UnaryOp op, NDArray src, NDArray dst);

    /**
     * {@code dst[i] = op(a[i], b[i])}; {@code a}, {@code b} and {@code dst} have the same shape ({@code a} and
     * {@code b} are usually broadcast views), {@code a} and {@code b} the same dtype, and {@code dst} that dtype
     * or BOOL for comparisons.
     */
    void binary(BinaryOp op, NDArray a, NDArray b, NDArray dst);

    /**
     * {@code dst[i] = cond[i] ? a[i] : b[i]}; all of the same shape, {@code cond} BOOL, {@code a}, {@code b} and
     * {@code dst} of one dtype.
     */
    void where(NDArray cond, NDArray a, NDArray b, NDArray dst);

    /**
     * Reduces {@code src} into {@code dst}, which has {@code src}'s rank with size 1 in every reduced dimension
     * (and {@code src}'s size elsewhere). The reduced dimensions are those where {@code dst.size(d) == 1} and
     * {@code src.size(d) != 1}. {@code dst}'s dtype is I64 for the arg-reductions and for SUM/PROD of integer
     * or BOOL sources, and {@code src}'s dtype otherwise. SUM over nothing writes 0, PROD writes 1.
     */
    void reduce(ReduceOp op, NDArray src, NDArray dst);

    /**
     * Batched matrix product {@code dst[b] = a[b] @ b[b]} for {@code a} of shape {@code [B, M, K]}, {@code b} of
     * shape {@code [B, K, N]} and a contiguous {@code dst} of shape {@code [B, M, N]}; F32 or F64, all one dtype.
     * {@code a} and {@code b} may have any strides, including transposed layouts and a zero batch stride.
     */
    void matmul(NDArray a, NDArray b, NDArray dst);

    /**
     * {@code dst[i] = src[i with i[dim] replaced by index[i]]}; {@code index} (I64 or I32) and {@code dst} have the
     * same shape, whose sizes outside {@code dim} do not exceed {@code src}'s.
     *
     * @throws IllegalArgumentException "gather: index V out of range for dimension D of size S"
     */
    void gather(NDArray src, int dim, NDArray index, NDArray dst);

    /**
     * {@code dst[i with i[dim] replaced by index[i]] += src[i]} for every index of {@code src}; {@code index}
     * (I64 or I32) and {@code src} have the same shape, whose sizes outside {@code dim} do not exceed {@code dst}'s.
     * The result does not depend on the thread count beyond float reassociation.
     *
     * @throws IllegalArgumentException "scatterAdd: index V out of range for dimension D of size S", leaving
     *     {@code dst} unchanged
     */
    void scatterAdd(NDArray dst, int dim, NDArray index, NDArray src);

    /**
     * 2-D cross-correlation, see {@link NDArray#conv2d}: {@code dst [N, O, OH, OW] = input [N, C, H, W] (*) weight
     * [O, C/groups, kH, kW]}, the output size given by {@code dst}'s shape. Arguments are validated by the caller, and
     * no operand is empty. The default composes im2col (a strided copy) and {@link #matmul}; override with a fused
     * kernel for speed.
     *
     * <p>{@code fixedWeight} is the caller's word that it will convolve with this weight again, unchanged (inference, a
     * frozen layer), so a backend may prepare the weight once, keep what it made and choose an algorithm that pays off
     * only then (the CPU backend's Winograd convolution on small planes); such a choice may change the result by
     * rounding, within the algorithm's stated error. {@code false} when the weight is being trained.
     *
     * <p>Like every destination of this interface, {@code dst} is dense row-major (any offset), overlaps no operand,
     * and its contents on entry are unspecified: the kernel writes every element.
     */
    default void conv2d(NDArray input, NDArray weight, Conv2dSpec spec, boolean fixedWeight, NDArray dst) {
        Convolution.conv2d(input, weight, spec, dst);
    }

    /**
     * Gradient of conv2d with respect to its input (the transposed convolution), see {@link NDArray#conv2dInputGrad}:
     * {@code dst [N, C, H, W]} of {@code gradOut [N, O, OH, OW]} and {@code weight [O, C/groups, kH, kW]}, the input
     * size given by {@code dst}'s shape. No operand is empty.
     */
    default void conv2dInputGrad(NDArray gradOut, NDArray weight, Conv2dSpec spec, NDArray dst) {
        Convolution.conv2dInputGrad(gradOut, weight, spec, dst);
    }

    /**
     * Gradient of conv2d with respect to its weight, see {@link NDArray#conv2dWeightGrad}: {@code dst [O, C/groups,
     * kH, kW]} of {@code input [N, C, H, W]} and {@code gradOut [N, O, OH, OW]}, the kernel size given by {@code dst}'s
     * shape. No operand is empty.
     */
    default void conv2dWeightGrad(NDArray input, NDArray gradOut, Conv2dSpec spec, NDArray dst) {
        Convolution.conv2dWeightGrad(input, gradOut, spec, dst);
    }

    /**
     * Max pooling with indices, see {@link NDArray#maxPool2d}: {@code values [N, C, OH, OW]} (the input's dtype) and
     * {@code indices} (I64, same shape) of {@code input [N, C, H, W]} over {@code kh x kw} windows, the output size
     * (ceil mode or not) given by the destinations' shape, which is not empty (the input may be, when padding makes
     * windows).
     */
    default void maxPool2d(NDArray input, int kh, int kw, Conv2dSpec spec, NDArray values, NDArray indices) {
        Convolution.maxPool2d(input, kh, kw, spec, values, indices);
    }

    /**
     * The optional kernel set {@code type} (for example {@link FusedBatchNorm}) if this backend offers it, else null.
     * The default offers none.
     */
    default <T> T extension(Class<T> type) {
        return null;
    }
}
