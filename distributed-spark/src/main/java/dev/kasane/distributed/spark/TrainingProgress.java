package dev.kasane.distributed.spark;

import java.util.Locale;

/**
 * Where a distributed run stands, as the driver hears it: after {@code step} of {@code stepsPerEpoch} steps of epoch
 * {@code epoch} (both counted from 1; for parameter averaging a step is one local step of every worker).
 *
 * @param loss the mean training loss over the steps since the previous report (averaged over the workers)
 * @param samplesPerSecond samples of all workers together per second since the previous report
 * @param communicationShare the fraction of that time spent exchanging gradients or parameters (0 to 1)
 */
public record TrainingProgress(int epoch, int epochs, long step, long stepsPerEpoch, double loss,
        double samplesPerSecond, double communicationShare) {

    /** One line: {@code epoch 1/2 step 40/468 loss 0.6123 1520 samples/s communication 12%}. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "epoch %d/%d step %d/%d loss %.4f %.0f samples/s communication %.0f%%",
                epoch, epochs, step, stepsPerEpoch, loss, samplesPerSecond, 100 * communicationShare);
    }
}
