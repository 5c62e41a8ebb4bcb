package dev.kasane.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The backend-free shape arithmetic that NDArray's collaborators share (contiguity, kept reduction shapes, host
 * conversions). Integer results, so every comparison is exact.
 */
class ShapeArithmeticTest {
    @Test
    void contiguityIgnoresSizeOneAndEmptyDims() {
        assertTrue(Shapes.isContiguous(new int[] {2, 3}, new int[] {3, 1}));
        assertFalse(Shapes.isContiguous(new int[] {2, 3}, new int[] {1, 2}), "transposed");
        assertTrue(Shapes.isContiguous(new int[] {2, 1, 3}, new int[] {3, 99, 1}), "size-1 dim with any stride");
        assertTrue(Shapes.isContiguous(new int[] {4, 0}, new int[] {7, 5}), "empty");
        assertTrue(Shapes.isContiguous(new int[] {}, new int[] {}), "0-d");
        assertFalse(Shapes.isContiguous(new int[] {3}, new int[] {-1}), "negative step");
    }

    @Test
    void keptShapeSetsReducedDimsToOne() {
        assertArrayEquals(new int[] {2, 1, 4}, Geometry.keptShape(new int[] {2, 3, 4}, new boolean[] {false, true, false}));
        assertArrayEquals(new int[] {1, 1}, Geometry.keptShape(new int[] {0, 5}, new boolean[] {true, true}));
    }

    @Test
    void hostConversionsOfDefaultShapesAndBooleans() {
        assertArrayEquals(new int[] {3}, HostArrays.shapeOr(3, new int[] {}));
        assertArrayEquals(new int[] {1, 3}, HostArrays.shapeOr(3, new int[] {1, 3}));
        assertArrayEquals(new byte[] {1, 0, 1}, HostArrays.bytes(new boolean[] {true, false, true}));
    }
}
