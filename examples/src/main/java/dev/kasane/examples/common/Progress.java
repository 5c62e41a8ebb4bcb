package dev.kasane.examples.common;

import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Training progress on the console: epoch, step, running loss, throughput and ETA.
 *
 * <p>On a terminal the progress is one line redrawn in place (carriage return, at most 10 times a second); when the
 * output goes to a file or a pipe (logs, CI) a plain line is printed every {@code logEvery} steps and at the last
 * step. {@link #endEpoch} prints one summary line per epoch in both cases.
 *
 * <pre>{@code
 * var progress = new Progress(epochs, loader.numBatches()).logEvery(args.logEvery());
 * for (int epoch = start; epoch < epochs; epoch++) {
 *     progress.startEpoch(epoch);
 *     for (Batch b : loader) {
 *         ...
 *         progress.step(b.batchSize(), loss.item());
 *     }
 *     Progress.Summary s = progress.endEpoch(String.format("test acc %.4f", acc));
 * }
 * }</pre>
 *
 * Not thread-safe: call it from the training thread.
 */
public final class Progress {
    private final int epochs;
    private final int stepsPerEpoch;
    private PrintStream out = System.out;
    private boolean interactive = isTerminal();
    private int logEvery = 100;
    private String unit = "img";

    private int epoch = -1;
    private int step;
    private long samples;
    private double lossSum;
    private int lossCount;
    private double recentLoss = Double.NaN;
    private long epochStartNanos;
    private long lastDrawNanos;
    private int lastWidth;
    private StepListener listener;
    private final LongSupplier clock;

    /** Told of every step: its number over the whole run (from 1) and its loss. */
    @FunctionalInterface
    public interface StepListener {
        /** One step done. */
        void step(long step, double loss);
    }

    /**
     * @param epochs total epochs of the run (for "epoch 3/10" and the ETA)
     * @param stepsPerEpoch steps (batches) per epoch
     */
    public Progress(int epochs, int stepsPerEpoch) {
        this(epochs, stepsPerEpoch, System::nanoTime);
    }

    /** With the clock {@code nanoTime} (tests set their own). */
    Progress(int epochs, int stepsPerEpoch, LongSupplier nanoTime) {
        if (epochs < 1 || stepsPerEpoch < 0) {
            throw new IllegalArgumentException("Progress: need epochs >= 1 and stepsPerEpoch >= 0, got " + epochs + ", "
                    + stepsPerEpoch);
        }
        this.epochs = epochs;
        this.stepsPerEpoch = stepsPerEpoch;
        this.clock = nanoTime;
    }

    /** Where to print (default {@code System.out}); another stream than System.out turns the redrawn line off. */
    public Progress output(PrintStream out) {
        if (out != System.out) {
            interactive = false;
        }
        this.out = out;
        return this;
    }

    /** Forces the redrawn-line mode on or off (default: on exactly when the console is a terminal). */
    public Progress interactive(boolean interactive) {
        this.interactive = interactive;
        return this;
    }

    /** Steps between plain progress lines when not interactive (default 100). */
    public Progress logEvery(int logEvery) {
        this.logEvery = Math.max(1, logEvery);
        return this;
    }

    /** What a sample is called in the throughput (default "img", giving "img/s"). */
    public Progress unit(String unit) {
        this.unit = unit;
        return this;
    }

    /** Whether the redrawn-line mode is on. */
    public boolean isInteractive() {
        return interactive;
    }

    /** True when {@code System.console()} is a terminal (on JDK 22+, where a console always exists, its isTerminal()). */
    public static boolean isTerminal() {
        Object console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method m = console.getClass().getMethod("isTerminal");
            return (Boolean) m.invoke(console);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true; // JDK 17-21: a console exists only for a terminal
        }
    }

    /** Calls {@code listener} after each {@link #step} (one listener; a second replaces the first). */
    public Progress onStep(StepListener listener) {
        this.listener = listener;
        return this;
    }

    /** Starts epoch {@code epoch} (0-based; shown 1-based) and its clock. */
    public void startEpoch(int epoch) {
        this.epoch = epoch;
        step = 0;
        samples = 0;
        lossSum = 0;
        lossCount = 0;
        recentLoss = Double.NaN;
        lastWidth = 0;
        epochStartNanos = clock.getAsLong();
        lastDrawNanos = 0;
    }

    /**
     * Records one finished step.
     *
     * @param batchSamples samples in the step's batch
     * @param loss the step's loss (NaN to record none)
     */
    public void step(int batchSamples, double loss) {
        if (epoch < 0) {
            throw new IllegalStateException("Progress.step before startEpoch");
        }
        step++;
        samples += batchSamples;
        if (!Double.isNaN(loss)) {
            lossSum += loss;
            lossCount++;
            recentLoss = Double.isNaN(recentLoss) ? loss : 0.9 * recentLoss + 0.1 * loss;
        }
        if (listener != null) {
            listener.step((long) epoch * stepsPerEpoch + step, loss);
        }
        long now = clock.getAsLong();
        boolean last = step == stepsPerEpoch;
        if (interactive) {
            if (last || now - lastDrawNanos > 100_000_000L) {
                lastDrawNanos = now;
                String line = line(now);
                StringBuilder sb = new StringBuilder("\r").append(line);
                for (int i = line.length(); i < lastWidth; i++) {
                    sb.append(' ');
                }
                lastWidth = line.length();
                out.print(sb);
                out.flush();
            }
        } else if (step % logEvery == 0 || last) {
            out.println(line(now));
            out.flush();
        }
    }

    private String line(long now) {
        double secs = (now - epochStartNanos) / 1e9;
        double perStep = step == 0 ? 0 : secs / step;
        long remainingSteps = Math.max(0, stepsPerEpoch - step) + (long) (epochs - epoch - 1) * stepsPerEpoch;
        String loss = lossCount == 0 ? "" : String.format(Locale.ROOT, "  loss %.4f (avg %.4f)", recentLoss, meanLoss());
        return String.format(Locale.ROOT, "epoch %d/%d  step %d/%d%s  %s  elapsed %s  ETA %s", epoch + 1, epochs, step,
                stepsPerEpoch, loss, rate(samples, secs), duration(secs), duration(perStep * remainingSteps));
    }

    /** "1456 img/s", or "25.3 s/trial" below one sample a second (where "0 trials/s" would say nothing). */
    private String rate(long samples, double secs) {
        double perSecond = samples / Math.max(secs, 1e-9);
        return perSecond >= 1 || samples == 0 ? String.format(Locale.ROOT, "%.0f %s/s", perSecond, unit)
                : String.format(Locale.ROOT, "%.1f s/%s", secs / samples, unit);
    }

    private double meanLoss() {
        return lossCount == 0 ? Double.NaN : lossSum / lossCount;
    }

    /**
     * Ends the epoch: prints its summary line (ending the redrawn line first) and returns its figures. Same as
     * {@link #stopEpoch()} followed by {@link #printSummary}.
     *
     * @param extra appended to the summary (e.g. "test acc 0.8912"), or null
     */
    public Summary endEpoch(String extra) {
        Summary s = stopEpoch();
        printSummary(s, extra);
        return s;
    }

    /**
     * Stops the epoch's clock and ends the redrawn line, without printing the summary: for figures computed after
     * training (e.g. a test evaluation, whose time should not count as training time) to go into
     * {@link #printSummary}.
     */
    public Summary stopEpoch() {
        if (epoch < 0) {
            throw new IllegalStateException("Progress.stopEpoch before startEpoch");
        }
        double secs = (clock.getAsLong() - epochStartNanos) / 1e9;
        Summary s = new Summary(epoch, step, samples, meanLoss(), secs, samples / Math.max(secs, 1e-9));
        if (interactive && lastWidth > 0) {
            out.println();
            out.flush();
        }
        lastWidth = 0;
        return s;
    }

    /**
     * Prints the summary line of an epoch: "epoch 3/10 done: train loss 0.3120, 938 steps, 41.2 s, 1456 img/s, extra"
     * (without the loss when no step recorded one).
     */
    public void printSummary(Summary s, String extra) {
        String loss = Double.isNaN(s.meanLoss()) ? "" : String.format(Locale.ROOT, " train loss %.4f,", s.meanLoss());
        out.println(String.format(Locale.ROOT, "epoch %d/%d done:%s %d steps, %.1f s, %s%s", s.epoch() + 1, epochs,
                loss, s.steps(), s.seconds(), rate(s.samples(), s.seconds()),
                extra == null || extra.isEmpty() ? "" : ", " + extra));
        out.flush();
    }

    /** "1:02:03", "2:03" or "7.5s". */
    public static String duration(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "?";
        }
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1fs", seconds);
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /**
     * The figures of one epoch.
     *
     * @param epoch 0-based epoch index
     * @param steps steps recorded
     * @param samples samples seen
     * @param meanLoss mean of the recorded step losses (NaN if none)
     * @param seconds wall time from startEpoch to endEpoch
     * @param throughput samples per second
     */
    public record Summary(int epoch, int steps, long samples, double meanLoss, double seconds, double throughput) {
    }
}
