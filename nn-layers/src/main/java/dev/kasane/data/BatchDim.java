package dev.kasane.data;

import dev.kasane.autograd.Tensor;

/** The check that tensors stacked or sliced together share their sample dimension 0. */
final class BatchDim {
    private BatchDim() {
    }

    /**
     * Checks that every tensor is non-null, has a dimension 0, and that all have the same size along it.
     *
     * @param op   the checking operation, first in the message ({@code TensorDataset})
     * @param what what one tensor is called in the message ({@code field}, {@code tensor})
     * @throws IllegalArgumentException naming the offending tensor and the first one otherwise
     */
    static void requireShared(String op, String what, Tensor[] tensors) {
        for (int i = 0; i < tensors.length; i++) {
            if (tensors[i] == null) {
                throw new IllegalArgumentException(op + ": " + what + " " + i + " is null");
            }
            if (tensors[i].dim() == 0 || tensors[i].size(0) != tensors[0].size(0)) {
                throw new IllegalArgumentException(op + ": every " + what + " needs the same size along dimension 0 (the "
                        + "samples); " + what + " " + i + " is " + tensors[i].describe() + ", " + what + " 0 is "
                        + tensors[0].describe());
            }
        }
    }
}
