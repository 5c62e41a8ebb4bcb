package dev.kasane.data;

/**
 * A failure while loading a batch (in the dataset's {@code get} or the collate function), rethrown in the thread
 * iterating the {@link DataLoader} with the original exception as its cause. The message names the batch and the
 * dataset indices it held.
 */
public class DataLoaderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed
     * @param cause the exception thrown while loading
     */
    public DataLoaderException(String message, Throwable cause) {
        super(message, cause);
    }
}
