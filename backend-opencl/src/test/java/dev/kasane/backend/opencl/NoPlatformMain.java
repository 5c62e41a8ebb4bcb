package dev.kasane.backend.opencl;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.ReduceOp;

/** Run in a child JVM that sees no OpenCL platform, by {@link OpenClNoPlatformTest}. */
public final class NoPlatformMain {
    private NoPlatformMain() {
    }

    public static void main(String[] args) {
        System.out.println("cpu sum " + NDArray.ones(DType.F32, Device.CPU, 3).reduce(ReduceOp.SUM).item());
        System.out.println("available " + OpenCl.isAvailable() + " devices " + OpenCl.devices().size());
        try {
            NDArray.zeros(DType.F32, Device.opencl(0), 2);
            System.out.println("no exception");
        } catch (IllegalArgumentException e) {
            System.out.println("IAE " + e.getMessage());
        }
        System.out.println("cpu still works " + NDArray.ones(DType.F32, Device.CPU, 2).reduce(ReduceOp.SUM).item());
    }
}
