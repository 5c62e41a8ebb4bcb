package dev.kasane.tensorboard;

import java.util.Collection;
import java.util.Map;

/**
 * The protocol-buffer messages of TensorBoard's event files, encoded as PyTorch's {@code SummaryWriter} writes them
 * ({@code tensorboard/compat/proto}: {@code event.proto}, {@code summary.proto}, {@code tensor.proto},
 * {@code plugins/hparams/api.proto} and {@code plugin_data.proto}). Field numbers are named where they are written.
 */
final class Summaries {
    /** The first event of every file says which version of the format follows. */
    static final String FILE_VERSION = "brain.Event:2";
    /** The writer named in the first event, as TensorBoard's own writer names itself there. */
    static final String WRITER = "dev.kasane.tensorboard.SummaryWriter";

    private static final int DT_STRING = 7;
    private static final String HPARAMS = "hparams";

    private Summaries() {
    }

    /** {@code Event {wall_time = 1, step = 2, summary = 5}}. */
    static byte[] event(double wallTime, long step, ProtoWriter summary) {
        return new ProtoWriter().float64(1, wallTime).int64(2, step).message(5, summary).toByteArray();
    }

    /** {@code Event {wall_time = 1, graph_def = 4}}: a serialized {@code GraphDef}, at step 0 as PyTorch writes it. */
    static byte[] graphEvent(double wallTime, byte[] graphDef) {
        return new ProtoWriter().float64(1, wallTime).oneofBytes(4, graphDef).toByteArray();
    }

    /**
     * {@code Event {wall_time = 1, file_version = 3, source_metadata = 10 SourceMetadata {writer = 1}}}: the first
     * record of a file.
     */
    static byte[] fileVersionEvent(double wallTime) {
        return new ProtoWriter().float64(1, wallTime).oneofString(3, FILE_VERSION)
                .message(10, new ProtoWriter().string(1, WRITER)).toByteArray();
    }

    /** A summary of one scalar: {@code Summary.Value {tag = 1, simple_value = 2}}. */
    static ProtoWriter scalar(String tag, float value) {
        return summary(new ProtoWriter().string(1, tag).oneofFloat32(2, value));
    }

    /** {@code Summary.Value {tag = 1, histo = 5 HistogramProto}}. */
    static ProtoWriter histogram(String tag, Histogram h) {
        ProtoWriter histo = new ProtoWriter().float64(1, h.min()).float64(2, h.max()).float64(3, h.count())
                .float64(4, h.sum()).float64(5, h.sumSquares()).packedFloat64(6, h.bucketLimits())
                .packedFloat64(7, h.bucketCounts());
        return summary(new ProtoWriter().string(1, tag).message(5, histo));
    }

    /**
     * {@code Summary.Value {tag = 1, image = 4 Image {height = 1, width = 2, colorspace = 3,
     * encoded_image_string = 4}}}; the colour space is the number of channels (1 grey, 3 RGB, 4 RGBA).
     */
    static ProtoWriter image(String tag, int height, int width, int channels, byte[] png) {
        ProtoWriter image = new ProtoWriter().int64(1, height).int64(2, width).int64(3, channels).bytes(4, png);
        return summary(new ProtoWriter().string(1, tag).message(4, image));
    }

    /**
     * Text for TensorBoard's text plugin, as PyTorch writes it: tag {@code <tag>/text_summary}, a one-element string
     * tensor ({@code TensorProto {dtype = 1, tensor_shape = 2 {dim = 2 {size = 1}}, string_val = 8}}) and the plugin
     * named in the metadata.
     */
    static ProtoWriter text(String tag, String text) {
        ProtoWriter shape = new ProtoWriter().message(2, new ProtoWriter().int64(1, 1));
        ProtoWriter tensor = new ProtoWriter().int64(1, DT_STRING).message(2, shape).oneofString(8, text);
        return summary(new ProtoWriter().string(1, tag + "/text_summary").message(8, tensor)
                .message(9, pluginMetadata("text", new byte[0])));
    }

    /**
     * The hparams plugin's experiment: {@code Experiment {hparam_infos = 4 {name = 1, type = 4}, metric_infos = 5
     * {name = 1 MetricName {tag = 2}}}}. A hyperparameter's type is FLOAT64 (3) for numbers, STRING (1), BOOL (2).
     */
    static ProtoWriter hparamsExperiment(Map<String, Object> hparams, Collection<String> metrics) {
        ProtoWriter experiment = new ProtoWriter();
        for (Map.Entry<String, Object> e : hparams.entrySet()) {
            int type = e.getValue() instanceof String ? 1 : e.getValue() instanceof Boolean ? 2 : 3;
            experiment.message(4, new ProtoWriter().string(1, e.getKey()).int64(4, type));
        }
        for (String m : metrics) {
            experiment.message(5, new ProtoWriter().message(1, new ProtoWriter().string(2, m)));
        }
        return hparamsSummary("_hparams_/experiment", 2, experiment);
    }

    /**
     * The hparams plugin's session start: {@code SessionStartInfo {hparams = 1 map<string, google.protobuf.Value>}},
     * each value a {@code number_value = 2}, {@code string_value = 3} or {@code bool_value = 4}.
     */
    static ProtoWriter hparamsSessionStart(Map<String, Object> hparams) {
        ProtoWriter start = new ProtoWriter();
        for (Map.Entry<String, Object> e : hparams.entrySet()) {
            Object v = e.getValue();
            ProtoWriter value = new ProtoWriter();
            if (v instanceof String) {
                value.oneofString(3, (String) v);
            } else if (v instanceof Boolean) {
                value.oneofBool(4, (Boolean) v);
            } else {
                value.oneofFloat64(2, ((Number) v).doubleValue());
            }
            start.message(1, new ProtoWriter().string(1, e.getKey()).message(2, value));
        }
        return hparamsSummary("_hparams_/session_start_info", 3, start);
    }

    /** The hparams plugin's session end: {@code SessionEndInfo {status = 1 STATUS_SUCCESS (1)}}. */
    static ProtoWriter hparamsSessionEnd() {
        return hparamsSummary("_hparams_/session_end_info", 4, new ProtoWriter().int64(1, 1));
    }

    /** {@code Summary.Value {tag, metadata = 9}} whose plugin content is {@code HParamsPluginData {field = data}}. */
    private static ProtoWriter hparamsSummary(String tag, int field, ProtoWriter data) {
        byte[] content = new ProtoWriter().message(field, data).toByteArray();
        return summary(new ProtoWriter().string(1, tag).message(9, pluginMetadata(HPARAMS, content)));
    }

    /** {@code SummaryMetadata {plugin_data = 1 PluginData {plugin_name = 1, content = 2}}}. */
    private static ProtoWriter pluginMetadata(String plugin, byte[] content) {
        return new ProtoWriter().message(1, new ProtoWriter().string(1, plugin).bytes(2, content));
    }

    /** {@code Summary {value = 1}} holding one value. */
    private static ProtoWriter summary(ProtoWriter value) {
        return new ProtoWriter().message(1, value);
    }
}
