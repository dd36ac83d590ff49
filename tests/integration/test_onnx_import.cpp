// ONNX graphs as models through the built command line: a BERT encoder written in the style of
// HuggingFace's export (built with Debian's python3-onnx) against the same model as model.yaml, op by op
// and cycle for cycle; real exported graphs vendored from npm packages (tests/data/onnx/real); and one-line
// errors for what the importer cannot read.

#include <gtest/gtest.h>

#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/support/expect_one_line.h"
#include "tests/support/run_catsim.h"
#include "tests/support/run_json.h"

namespace catsim {
namespace {

using nlohmann::json;
using test::run_catsim;

const std::string kData = std::string(CATSIM_SOURCE_DIR) + "/tests/data/onnx";
const std::string kReal = kData + "/real";

int sh(const std::string& cmd) { return std::system(cmd.c_str()); }

// The BERT graph (2 layers, hidden 64, 4 heads, FFN 256, vocab 512, 128 positions), written once per process.
const std::string& bert_onnx() {
  static const std::string path = [] {
    const std::string p = (test::scratch_dir() / "bert.onnx").string();
    EXPECT_EQ(sh("/usr/bin/python3 " + kData + "/make_bert_onnx.py " + p), 0) << "python3-onnx builds the graph";
    return p;
  }();
  return path;
}

// The same encoder as a model.yaml.
std::string bert_yaml() {
  return test::write_file("bert-tiny.yaml",
                          "name: bert-tiny\nfamily: bert\nlayers: 2\nhidden: 64\nheads: 4\nffn: 256\nvocab: 512\n"
                          "max_positions: 128\ntype_vocab: 2\nworkload: {batch: 2, seq_len: 16, phase: prefill}\n"
                          "precision: int8\n");
}

const std::string kBind = " --set model.dims.batch=2 --set model.dims.sequence=16 --set model.precision=int8";


// Elements stored in the file's initializers and Constant nodes, in its graph and every branch of it,
// counted by python3-onnx.
std::int64_t stored_elements(const std::string& file) {
  const std::string out = (test::scratch_dir() / "count.txt").string();
  EXPECT_EQ(sh("/usr/bin/python3 -c \"import onnx, numpy as np\n"
               "def stored(g): return sum(int(np.prod(t.dims)) for t in g.initializer) + sum(int(np.prod(a.t.dims)) "
               "for n in g.node if n.op_type == 'Constant' for a in n.attribute if a.name == 'value') + sum(stored(a.g) "
               "for n in g.node for a in n.attribute if a.type == onnx.AttributeProto.GRAPH)\n"
               "print(stored(onnx.load('" + file + "').graph))\" > " + out),
            0);
  return std::stoll(test::slurp(out));
}

// The recurrent and control-flow graphs of make_recurrent_onnx.py, written once per process.
std::string recurrent_graph(const std::string& name) {
  static const std::string dir = [] {
    const std::string d = (test::scratch_dir() / "recurrent").string();
    EXPECT_EQ(sh("/usr/bin/python3 " + kData + "/make_recurrent_onnx.py " + d), 0);
    return d;
  }();
  return dir + "/" + name + ".onnx";
}

// Sum of the MACs of the ops whose name contains `part`.
std::uint64_t macs_of(const json& doc, const std::string& part) {
  std::uint64_t sum = 0;
  for (const json& op : doc["ops"])
    if (op["name"].get<std::string>().find(part) != std::string::npos) sum += op["macs"].get<std::uint64_t>();
  return sum;
}

const json& op_named(const json& doc, const std::string& name) {
  for (const json& op : doc["ops"])
    if (op["name"] == name) return op;
  static const json none;
  ADD_FAILURE() << "no op " << name;
  return none;
}

TEST(OnnxImport, HuggingFaceStyleBertEqualsModelYamlOpByOp) {
  const json graph = test::run_json("info " + bert_onnx() + kBind);
  const json yaml = test::run_json("info " + bert_yaml());
  ASSERT_EQ(graph["ops"].size(), yaml["ops"].size());
  // 4 embedding ops + 2 layers x 14 ops + pooler dense and tanh = 34.
  EXPECT_EQ(graph["ops"].size(), 34u);
  for (std::size_t i = 0; i < yaml["ops"].size(); ++i) {
    const json &g = graph["ops"][i], &y = yaml["ops"][i];
    for (const char* key : {"kind", "shape", "dims", "precision", "macs"})
      EXPECT_EQ(g[key], y[key]) << "op " << i << " (" << y["name"] << " / " << g["name"] << "): " << key;
  }
  // MACs per layer: 4 x 32 x 64 x 64 (Q, K, V, O) + 2 x 8 x 16 x 16 x 16 (QK^T, AV over 2 x 4 heads)
  // + 2 x 32 x 64 x 256 (FFN) = 524,288 + 65,536 + 1,048,576; two layers and the pooler 2 x 64 x 64.
  EXPECT_EQ(graph["macs"], 2 * (524288 + 65536 + 1048576) + 8192);
  EXPECT_EQ(graph["parameters"], stored_elements(bert_onnx()));
}

TEST(OnnxImport, HuggingFaceStyleBertSimulatesCycleForCycle) {
  for (const char* arch : {"edge_npu", "tpuv1", "datacenter"}) {
    const json g = test::run_json(std::string(arch) + " " + bert_onnx() + kBind);
    const json y = test::run_json(std::string(arch) + " " + bert_yaml());
    EXPECT_EQ(g["cycles"], y["cycles"]) << arch;
    EXPECT_EQ(g["energy_j"], y["energy_j"]) << arch;
    ASSERT_EQ(g["ops"].size(), y["ops"].size()) << arch;
    for (std::size_t i = 0; i < y["ops"].size(); ++i)
      for (const char* key : {"cycles", "start_cycle", "end_cycle", "dram_bytes", "tiling"})
        EXPECT_EQ(g["ops"][i][key], y["ops"][i][key]) << arch << " op " << i << " " << y["ops"][i]["name"] << ": " << key;
    const json& onnx = g["resolved"]["model"]["onnx"];
    EXPECT_EQ(onnx["opset"], 13);
    EXPECT_EQ(onnx["producer"], "catsim-tests");
    EXPECT_EQ(onnx["dims"], json({{"batch", 2}, {"sequence", 16}}));
    EXPECT_EQ(onnx["sha256"].get<std::string>().size(), 64u);
  }
}

TEST(OnnxImport, ModelYamlNamesTheGraphRelativeToItself) {
  const std::string yaml = test::write_file("graph.yaml", "kind: onnx\nfile: " + kReal +
                                                              "/hello_deepa.onnx\nprecision: int8\n");
  const json j = test::run_json("info " + yaml);
  EXPECT_EQ(j["macs"], 77856);
  const auto bad = run_catsim("info " + test::write_file("bad.yaml", "kind: onnx\nfile: missing.onnx\n"));
  test::expect_one_line(bad, 2, "missing.onnx: no such file");
}

TEST(OnnxImport, RealExportWithGemmAndWrittenOutLayerNorm) {
  // openwakeword-js's hello_deepa.onnx (PyTorch 2.8, opset 13): Flatten 1x25x96 -> Gemm 2400x32 -> LayerNorm ->
  // Relu -> Gemm 32x32 -> LayerNorm -> Relu -> Gemm 32x1 -> Sigmoid.
  const json j = test::run_json("info " + kReal + "/hello_deepa.onnx");
  EXPECT_EQ(j["macs"], 2400 * 32 + 32 * 32 + 32 * 1);
  std::vector<std::string> kinds;
  for (const json& op : j["ops"]) kinds.push_back(op["kind"]);
  EXPECT_EQ(kinds, (std::vector<std::string>{"gemm", "layernorm", "activation", "gemm", "layernorm", "activation", "gemm",
                                             "activation"}));
  EXPECT_EQ(j["parameters"], stored_elements(kReal + "/hello_deepa.onnx"));  // 78,049 + 4 constants
  EXPECT_EQ(j["parameters"], 78053);
  EXPECT_EQ(test::run_json("edge_npu " + kReal + "/hello_deepa.onnx --set model.precision=int8")["resolved"]["model"]["onnx"]
                    ["sha256"],
            "67ac357640e53b9d4713433a8ab48be4333f7cb21d6816406be7660ebe6d7614");
}

TEST(OnnxImport, RealPaddleExportOfAMobileNetImportsWhole) {
  // PP-OCR's text-direction classifier (Paddle2ONNX, opset 9): every weight in a Constant node, depthwise
  // convolutions, BatchNormalization, HardSwish written out as Add/Clip/Mul/Div, squeeze-excite blocks
  // (GlobalAveragePool, HardSigmoid), and a Reshape whose shape is computed from Shape -> Slice -> Concat.
  const std::string file = kReal + "/ch_ppocr_mobile_v2.0_cls_infer.onnx";
  const std::string bind = " --set model.inputs.x=1x3x48x192";
  const json j = test::run_json("info " + file + bind);
  // The convolutions' MACs as ONNX's own shape inference gives them (tests/data/onnx/conv_macs.py).
  const std::string out = (test::scratch_dir() / "conv_macs.txt").string();
  ASSERT_EQ(sh("/usr/bin/python3 " + kData + "/conv_macs.py " + file + " 1x3x48x192 > " + out), 0);
  std::uint64_t conv = 0, matmul = 0;
  for (const json& op : j["ops"]) {
    const std::string name = op["name"];
    (name.find("Conv") != std::string::npos ? conv : matmul) += op["macs"].get<std::uint64_t>();
  }
  EXPECT_EQ(conv, std::stoull(test::slurp(out)));
  EXPECT_EQ(matmul, 1u * 200 * 2);  // the classifier head: the pooled 200 features x 2 directions
  EXPECT_EQ(j["parameters"], stored_elements(file));
  const json run = test::run_json("edge_npu " + file + bind + " --set model.precision=int8");
  EXPECT_GT(run["cycles"].get<std::uint64_t>(), 0u);
  EXPECT_EQ(run["ops"].size(), j["ops"].size());
}

TEST(OnnxImport, QuantizedGraphsRunInt8WithTheirScaleWork) {
  const std::string file = (test::scratch_dir() / "quantized.onnx").string();
  ASSERT_EQ(sh("/usr/bin/python3 " + kData + "/make_quantized_onnx.py " + file), 0);
  const json j = test::run_json("info " + file);
  EXPECT_EQ(j["precision"]["weights"], "int8");
  EXPECT_EQ(j["precision"]["activations"], "int8");  // integer matmuls: 8-bit activations
  std::vector<std::string> kinds;
  for (const json& op : j["ops"]) kinds.push_back(op["kind"]);
  EXPECT_EQ(kinds, (std::vector<std::string>{"quantize", "gemm", "mul", "mul", "activation", "scale_shift", "gemm",
                                             "scale_shift", "scale_shift", "softmax"}));
  EXPECT_EQ(j["macs"], 16 * 64 * 32 + 16 * 32 * 48);  // MatMulInteger 16x64x32, QLinearMatMul 16x32x48
  EXPECT_EQ(test::run_json("edge_npu " + file)["ops"].size(), kinds.size());
}

TEST(OnnxImport, EinsumAttentionAndDataMovement) {
  const std::string file = (test::scratch_dir() / "einsum.onnx").string();
  ASSERT_EQ(sh("/usr/bin/python3 " + kData + "/make_einsum_onnx.py " + file), 0);
  const json j = test::run_json("info " + file + " --set model.precision=int8");
  std::vector<std::string> shapes;
  for (const json& op : j["ops"]) shapes.push_back(op["kind"].get<std::string>() + " " + op["shape"].get<std::string>());
  EXPECT_EQ(shapes, (std::vector<std::string>{
                        "gemm 32x64 * 64x64",                 // bsh,hd->bsd with a stored d: 2 x 16 rows
                        "batched_matmul 2x(16x64 * 64x16)",  // bqd,bkd->bqk: batch b, contracted d
                        "softmax 32x16",
                        "batched_matmul 2x(16x16 * 16x64)",  // bqk,bkd->bqd: contracted k
                        "copy 32x64",   // Pad 2 rows each side: reads 2 x 16 rows of 64, writes 2 x 20
                        "copy 40x64"}));  // Resize x(1, 2, 2): reads the 2 x 20 rows, writes 2 x 40 of 128
  EXPECT_EQ(j["macs"], 2 * 16 * 64 * 64 + 2 * 16 * 64 * 16 + 2 * 16 * 16 * 64);
  const json run = test::run_json("edge_npu " + file + " --set model.precision=int8");
  // The copies move their input in and their output out (int8: one byte per element).
  EXPECT_EQ(j["ops"][4]["bytes_read"], 2 * 16 * 64);
  EXPECT_EQ(j["ops"][4]["bytes_written"], 2 * 20 * 64);
  EXPECT_EQ(j["ops"][5]["bytes_read"], 2 * 20 * 64);
  EXPECT_EQ(j["ops"][5]["bytes_written"], 2 * 40 * 128);
  EXPECT_GT(run["ops"][5]["dram_bytes"].get<std::uint64_t>(), 0u) << "the copy's bytes are simulated";
}

TEST(OnnxImport, PeLevelReplayChecksAnImportedGraphsMatmuls) {
  const auto r = run_catsim("edge_npu " + kReal + "/hello_deepa.onnx --set model.precision=int8 --detail pe");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* op : {"/layer1/Gemm", "/blocks.0/fcn_layer/Gemm", "/last_layer/Gemm"})
    EXPECT_NE(r.out.find(op), std::string::npos) << op;
  EXPECT_EQ(r.out.find(" no "), std::string::npos) << "every command's cycles equal: " << r.out;
}

TEST(OnnxImport, EdgeCasesAreRefusedOrModelledNeverCrash) {
  const std::string dir = (test::scratch_dir() / "edge").string();
  ASSERT_EQ(sh("/usr/bin/python3 " + kData + "/make_edge_onnx.py " + dir), 0);
  auto info = [&](const std::string& name) { return run_catsim("info " + dir + "/" + name + ".onnx --json"); };
  test::expect_one_line(run_catsim("info " + dir + "/div_overflow.onnx"), 2, "an integer Div overflows 64 bits");
  test::expect_one_line(run_catsim("info " + dir + "/huge_blocksize.onnx"), 2, "blocksize squared");
  test::expect_one_line(run_catsim("info " + dir + "/shapeless_input.onnx"), 2, "not a valid ONNX model");
  EXPECT_EQ(info("float_range").exit_code, 0);  // a float Range: a constant of known shape, not integers
  // ConvNeXt's channels-first LayerNorm over axis 1 of 1x32x8x8: 64 rows (pixels) of 32 channels.
  const json ln = json::parse(info("channels_first_layernorm").out);
  ASSERT_EQ(ln["ops"].size(), 1u);
  EXPECT_EQ(ln["ops"][0]["kind"], "layernorm");
  EXPECT_EQ(ln["ops"][0]["shape"], "64x32");
  // Relu and Tanh concatenated into a weight GEMM: a copy gathers both, and the GEMM reads only the copy.
  const json cat = json::parse(info("concat_matmul").out);
  std::vector<std::string> kinds;
  for (const json& op : cat["ops"]) kinds.push_back(op["kind"]);
  EXPECT_EQ(kinds, (std::vector<std::string>{"activation", "activation", "copy", "gemm"}));
  EXPECT_EQ(cat["ops"][3]["shape"], "16x64 * 64x8");
  EXPECT_EQ(test::run_json("edge_npu " + dir + "/concat_matmul.onnx --set model.precision=int8")["ops"].size(), 4u);
  EXPECT_EQ(info("maxpool_indices").exit_code, 0);  // the indices come from the same reduction pass
  // A transpose between two GEMMs: the second reads columns of the first, so it starts after the first ends.
  const json t = test::run_json("edge_npu " + dir + "/transpose_between_matmuls.onnx --set model.precision=int8");
  ASSERT_EQ(t["ops"].size(), 2u);
  EXPECT_GE(t["ops"][1]["start_cycle"].get<std::uint64_t>(), t["ops"][0]["end_cycle"].get<std::uint64_t>());
}

TEST(OnnxImport, RealExportWithNestedIfsAndAnLstmRuns) {
  // Silero VAD (PyTorch 2.3, opset 15): a reflect Pad whose pads are computed (Concat -> Reshape -> Slice
  // reversed -> Transpose -> Reshape, folded), an STFT as a Conv, four Convs, then an LSTM cell inside nested
  // Ifs whose conditions are rank checks (Shape -> Gather -> Equal -> Not -> Cast): the walk takes the branch
  // each condition selects.
  const std::string vad = kReal + "/silero_vad_16k_op15.onnx --set model.dims.batch=1 --set model.dims.sequence=512";
  const json j = test::run_json("info " + vad);
  EXPECT_EQ(j["parameters"], stored_elements(kReal + "/silero_vad_16k_op15.onnx"));  // 309,795, branches included
  // LSTM, hidden 128 on 128 inputs, one step of batch 1: X·Wᵀ and H·Rᵀ, each 1 x 128 x 512 = 65,536 MACs.
  EXPECT_EQ(op_named(j, "/model/decoder/rnn/LSTM.fwd.input_proj")["macs"], 65536);
  EXPECT_EQ(op_named(j, "/model/decoder/rnn/LSTM.fwd.t0.recurrent")["macs"], 65536);
  EXPECT_EQ(macs_of(j, "LSTM"), 131072u);
  // The whole graph: STFT 3x256x258 = 198,144; encoders 3x387x128 + 2x384x64 + 1x192x64 + 1x192x128 =
  // 148,608 + 49,152 + 12,288 + 24,576; LSTM 131,072; the decoder's 1x128x1 = 128. Sum 563,968.
  EXPECT_EQ(j["macs"], 563968);
  const json run = test::run_json("datacenter " + vad + " --set model.precision=fp16");
  EXPECT_GT(run["cycles"].get<std::uint64_t>(), 0u);
  // The cell's passes run in the recurrence's order: the hidden state after the cell, the cell after its gates.
  const json& cell = op_named(run, "/model/decoder/rnn/LSTM.fwd.t0.cell");
  EXPECT_GE(op_named(run, "/model/decoder/rnn/LSTM.fwd.t0.hidden")["start_cycle"].get<std::uint64_t>(),
            cell["end_cycle"].get<std::uint64_t>());
  EXPECT_GE(cell["start_cycle"].get<std::uint64_t>(),
            op_named(run, "/model/decoder/rnn/LSTM.fwd.t0.gates")["end_cycle"].get<std::uint64_t>());
}

TEST(OnnxImport, RecurrentCellsUnrollStepByStep) {
  // 5 steps, batch 2, 16 inputs, hidden 8 (make_recurrent_onnx.py). MACs per direction:
  // steps x batch x gates x hidden x (input + hidden) = 5 x 2 x gates x 8 x 24.
  const json lstm = test::run_json("info " + recurrent_graph("lstm_bidirectional"));
  EXPECT_EQ(lstm["macs"], 2 * 5 * 2 * 4 * 8 * 24);  // 15,360: two directions of 4 gates
  // Ops: the initial state's Tanh, the Relu reading Y_h, and per direction one projection and 5 steps of 14
  // (recurrent GEMM, gates, candidate; i/f's peephole product, sum and activation; f·c, i·g, the cell; o's
  // peephole on the new cell, its sum and activation; the cell's activation, the hidden state):
  // 2 + 2 x (1 + 70) = 144.
  EXPECT_EQ(lstm["ops"].size(), 144u);
  EXPECT_EQ(op_named(lstm, "LSTM_1.fwd.t0.recurrent")["shape"], "2x8 * 8x32");
  EXPECT_EQ(op_named(lstm, "LSTM_1.rev.input_proj")["shape"], "10x16 * 16x32");
  EXPECT_EQ(op_named(lstm, "LSTM_1.rev.t4.peephole_if")["shape"], "2x16");  // reverse: its first step reads step 4
  EXPECT_EQ(macs_of(json::parse(run_catsim("info --json " + recurrent_graph("gru")).out), "GRU"), 5u * 2 * 3 * 8 * 24);
  const json lbr = json::parse(run_catsim("info --json " + recurrent_graph("gru_linear_before_reset")).out);
  EXPECT_EQ(macs_of(lbr, "GRU"), 5u * 2 * 3 * 8 * 24);  // 5,760 either way; one recurrent GEMM of 3 gates here
  EXPECT_EQ(op_named(lbr, "GRU_0.fwd.t2.recurrent")["shape"], "2x8 * 8x24");
  const json rnn = json::parse(run_catsim("info --json " + recurrent_graph("rnn_relu")).out);
  EXPECT_EQ(rnn["macs"], 5 * 2 * 1 * 8 * 24);  // 1,920
  EXPECT_EQ(rnn["ops"].size(), 1u + 5 * 3 + 1);  // projection, 5 x (GEMM, sum, ReLU), the reader's Relu
  // In a run every step waits for the one before it.
  const json run = test::run_json("datacenter " + recurrent_graph("lstm_bidirectional") + " --set model.precision=int8");
  for (const std::string dir : {"fwd", "rev"})
    for (int s = 0; s + 1 < 5; ++s) {
      const int t = dir == "fwd" ? s : 4 - s, next = dir == "fwd" ? s + 1 : 3 - s;
      const std::string from = "LSTM_1." + dir + ".t" + std::to_string(t), to = "LSTM_1." + dir + ".t" + std::to_string(next);
      EXPECT_GE(op_named(run, to + ".recurrent")["start_cycle"].get<std::uint64_t>(),
                op_named(run, from + ".hidden")["end_cycle"].get<std::uint64_t>())
          << from;
    }
  // At most 2^14 time steps over the graph's directions: 8,192 of a bidirectional cell run, 8,193 do not.
  const json bound = json::parse(run_catsim("info --json " + recurrent_graph("rnn_steps") + " --set model.dims.steps=8192").out);
  EXPECT_EQ(bound["macs"], 2 * 8192 * 2 * 1 * 8 * 24);
  test::expect_one_line(run_catsim("info " + recurrent_graph("rnn_steps") + " --set model.dims.steps=8193"), 2,
                        "node 'RNN_0' (RNN, opset 13): the graph's recurrences unroll into more than 16384 time steps "
                        "(8193 here, in 2 direction(s))");
  test::expect_one_line(run_catsim("info " + recurrent_graph("rnn_steps") + " --set model.dims.steps=2147483648"), 2,
                        "more than 16384 time steps");
  test::expect_one_line(run_catsim("info " + recurrent_graph("rnn_softsign")), 2,
                        "node 'RNN_0' (RNN, opset 13): the cell function 'Softsign' is not modelled (cells may use");
}

TEST(OnnxImport, IfTakesTheBranchItsConditionSelects) {
  // y = If(n != 1) then x·W (16 -> 32) else x·W' (16 -> 64), for x [n, 16]; the file stores both weights.
  const std::string file = recurrent_graph("if_on_shape");
  const json one = test::run_json("info " + file + " --set model.dims.n=1");
  EXPECT_EQ(one["macs"], 1 * 16 * 64);
  EXPECT_EQ(one["parameters"], 2 + 16 * 32 + 16 * 64);  // two index constants and both branches' weights
  EXPECT_EQ(one["parameters"], stored_elements(file));
  EXPECT_EQ(test::run_json("info " + file + " --set model.dims.n=3")["macs"], 3 * 16 * 32);
  test::expect_one_line(run_catsim("info " + recurrent_graph("if_on_data") + " --set model.dims.n=4"), 2,
                        "node 'If_2' (If, opset 13): its condition 'c' is computed from the run's data");
  // A condition stored as a boolean constant, and one folded through Xor.
  EXPECT_EQ(test::run_json("info " + recurrent_graph("if_on_bool_constant") + " --set model.dims.n=2")["macs"], 2 * 16 * 64);
  test::expect_one_line(run_catsim("info " + recurrent_graph("loop")), 2,
                        "node 'Loop_0' (Loop, opset 13): loops (Loop, Scan) are not modelled");
  // Comparisons, Where, Neg and Max on computed data: one vector pass each, Where reading its three inputs.
  const json cmp = test::run_json("info " + recurrent_graph("compare_where"));
  ASSERT_EQ(cmp["ops"].size(), 5u);
  EXPECT_EQ(op_named(cmp, "Where_3")["bytes_read"], 3 * 4 * 16 * 4);  // 3 inputs of 4x16 fp32
  EXPECT_EQ(op_named(cmp, "Max_4")["bytes_read"], 4 * 16 * 4);        // the 1.0 is a held scalar
  EXPECT_EQ(op_named(cmp, "Greater_1")["precision"]["out"], "fp32");   // a boolean: the graph's activation precision
  EXPECT_EQ(op_named(cmp, "Where_3")["precision"]["out"], "fp32");     // X's type
}

TEST(OnnxImport, ConvTransposeIsAGemmThenItsOverlapsSummed) {
  // make_deconv_onnx.py prints, per graph, the output's elements by ONNX's shape inference and the MACs
  // (input elements x filters/group x kernel) over strides, pads, output_padding, dilations, group,
  // auto_pad, output_shape, 1-D and 2-D.
  const std::string dir = (test::scratch_dir() / "deconv").string(), list = dir + ".txt";
  ASSERT_EQ(sh("/usr/bin/python3 " + kData + "/make_deconv_onnx.py " + dir + " > " + list), 0);
  std::istringstream lines(test::slurp(list));
  std::string name;
  std::int64_t outputs = 0, macs = 0;
  int cases = 0;
  while (lines >> name >> outputs >> macs) {
    ++cases;
    const json j = test::run_json("info " + dir + "/" + name + ".onnx");
    ASSERT_EQ(j["ops"].size(), 2u) << name;
    EXPECT_EQ(j["macs"], macs) << name;
    EXPECT_EQ(j["ops"][1]["kind"], "reduce_sum") << name;
    EXPECT_EQ(j["ops"][1]["dims"]["m"], outputs) << name;  // one sum per output element
    // Each sum adds ⌈window products / outputs⌉: the GEMM's results spread over the output.
    const std::int64_t products = j["ops"][0]["dims"]["count"].get<std::int64_t>() * j["ops"][0]["dims"]["m"].get<std::int64_t>() *
                                  j["ops"][0]["dims"]["n"].get<std::int64_t>();
    EXPECT_EQ(j["ops"][1]["dims"]["n"], (products + outputs - 1) / outputs) << name;
  }
  EXPECT_EQ(cases, 7);
  // stride2_pad1: 16x16 pixels of 8 channels, 4 filters of 4x4: a 256 x 8 x 64 GEMM, then 4,096 sums of 4.
  const json run = test::run_json("datacenter " + dir + "/stride2_pad1.onnx --set model.precision=int8");
  EXPECT_EQ(run["ops"][0]["shape"], "256x8 * 8x64");
  EXPECT_GE(run["ops"][1]["start_cycle"].get<std::uint64_t>(), run["ops"][0]["end_cycle"].get<std::uint64_t>());
}

TEST(OnnxImport, MixedPrecisionGraphRunsEachOpAtItsTensorTypes) {
  // fp32 in, Cast to fp16, an fp16 GEMM 16x64x32, Cast to fp32, dynamic quantization, an int8 GEMM 16x32x8,
  // the int32 result cast to fp32 and scaled (make_edge_onnx.py's mixed_precision).
  const std::string dir = (test::scratch_dir() / "edge_mixed").string();
  ASSERT_EQ(sh("/usr/bin/python3 " + kData + "/make_edge_onnx.py " + dir), 0);
  const std::string file = dir + "/mixed_precision.onnx";
  const json j = test::run_json("info " + file);
  auto precisions = [](const json& op) {
    return op["precision"]["a"].get<std::string>() + "x" + op["precision"]["b"].get<std::string>() + ">" +
           op["precision"]["out"].get<std::string>();
  };
  ASSERT_EQ(j["ops"].size(), 4u);
  EXPECT_EQ(precisions(op_named(j, "MatMul_1")), "fp16xfp16>fp16");
  EXPECT_EQ(op_named(j, "MatMul_1")["bytes_read"], 16 * 64 * 2 + 64 * 32 * 2);  // 6,144: x and w at 2 bytes
  EXPECT_EQ(op_named(j, "MatMul_1")["bytes_written"], 16 * 32 * 2);
  EXPECT_EQ(precisions(op_named(j, "DynamicQuantizeLinear_3")), "fp32xfp32>int8");
  EXPECT_EQ(op_named(j, "DynamicQuantizeLinear_3")["bytes_read"], 16 * 32 * 4);
  // int32 results are 32-bit words (shown as fp32's width), as the Cast after them reads them.
  EXPECT_EQ(precisions(op_named(j, "MatMulInteger_4")), "int8xint8>fp32");
  EXPECT_EQ(op_named(j, "MatMulInteger_4")["bytes_read"], 16 * 32 + 32 * 8);
  EXPECT_EQ(op_named(j, "MatMulInteger_4")["bytes_written"], 16 * 8 * 4);
  EXPECT_EQ(precisions(op_named(j, "Mul_6")), "fp32xfp32>fp32");
  // A precision given overrides the graph's types for every op.
  const json forced = test::run_json("info " + file + " --set model.precision=int8");
  for (const json& op : forced["ops"]) EXPECT_EQ(precisions(op), "int8xint8>int8") << op["name"];
  // A run records where its precisions came from, and its --dump-config re-runs to the same result.
  const std::string args = test::shipped_arch("edge_npu") + " " + file;
  json first = test::run_json(args);
  EXPECT_EQ(first["resolved"]["model"]["onnx"]["op_precisions"], "graph");
  const test::RunResult dump = run_catsim(args + " --dump-config");
  ASSERT_EQ(dump.exit_code, 0) << dump.err;
  json again = test::run_json(test::write_file("mixed_resolved.yaml", dump.out));
  first.erase("command_line");
  again.erase("command_line");
  EXPECT_EQ(first, again);
  // An int8-only array cannot run the fp16 GEMM: one line naming it.
  test::expect_one_line(run_catsim(test::shipped_arch("tpuv1") + " " + file), 2, "needed by MatMul_1: fp16 x fp16");
}

TEST(OnnxImport, WeightsInlineOrExternalImportTheSameFromAnyDirectory) {
  // One 512 x 1024 fp32 MatMul (2 MiB of weights), saved with its weights inline and as external data.
  const std::string dir = (test::scratch_dir() / "weights").string();
  ASSERT_EQ(sh("mkdir -p " + dir + " && cd " + dir + " && /usr/bin/python3 -c \"import numpy as np, onnx; "
               "from onnx import helper, numpy_helper, TensorProto as T; "
               "w = numpy_helper.from_array(np.ones((512, 1024), np.float32), 'w'); "
               "g = helper.make_graph([helper.make_node('MatMul', ['x', 'w'], ['y'])], 'g', "
               "[helper.make_tensor_value_info('x', T.FLOAT, [4, 512])], [helper.make_tensor_value_info('y', T.FLOAT, [4, 1024])], [w]); "
               "m = helper.make_model(g, opset_imports=[helper.make_opsetid('', 13)]); m.ir_version = 7; "
               "onnx.save(m, 'inline.onnx'); "
               "onnx.save(m, 'external.onnx', save_as_external_data=True, location='external.data', size_threshold=1024)\""),
            0);
  // Run from another directory: the external data is found beside its model, not in the working directory.
  const std::string out = (test::scratch_dir() / "weights.json").string();
  for (const std::string name : {"inline", "external"}) {
    ASSERT_EQ(sh("cd / && " + std::string(CATSIM_BINARY) + " info --json " + dir + "/" + name + ".onnx > " + out), 0) << name;
    const json j = json::parse(test::slurp(out));
    EXPECT_EQ(j["parameters"], 512 * 1024) << name;
    EXPECT_EQ(j["macs"], 4 * 512 * 1024) << name;
    EXPECT_EQ(j["ops"][0]["bytes_read"], 4 * 512 * 4 + 512 * 1024 * 4) << name;
  }
  // The JSON records the digest of the file's own bytes, weights included (python's hashlib agrees).
  ASSERT_EQ(sh("/usr/bin/python3 -c \"import hashlib; print(hashlib.sha256(open('" + dir +
               "/inline.onnx', 'rb').read()).hexdigest())\" > " + out),
            0);
  const std::string digest = test::slurp(out).substr(0, 64);
  const json run = test::run_json(test::shipped_arch("datacenter") + " " + dir + "/inline.onnx");
  EXPECT_EQ(run["resolved"]["model"]["onnx"]["sha256"], digest);
}

TEST(OnnxImport, NamesThatAreNotUtf8StillGiveValidJson) {
  // A node and graph named with a byte that is not UTF-8 (found by scripts/cli_fuzz.py in a bit-flipped
  // export: the JSON dump failed with exit 1): the byte becomes U+FFFD.
  const std::string file = (test::scratch_dir() / "bad_name.onnx").string();
  ASSERT_EQ(sh("/usr/bin/python3 -c \"import onnx; from onnx import helper, TensorProto as T; "
               "g = helper.make_graph([helper.make_node('Relu', ['x'], ['y'], name='NODEX')], 'GRAPHX', "
               "[helper.make_tensor_value_info('x', T.FLOAT, [2, 4])], [helper.make_tensor_value_info('y', T.FLOAT, [2, 4])]); "
               "m = helper.make_model(g, opset_imports=[helper.make_opsetid('', 13)]); m.ir_version = 7; "
               "b = m.SerializeToString().replace(b'NODEX', b'NO\\xffEX').replace(b'GRAPHX', b'GR\\x9aPHX'); "
               "open('" + file + "', 'wb').write(b)\""),
            0);
  const json j = test::run_json("info " + file);
  EXPECT_EQ(j["ops"][0]["name"].get<std::string>(), std::string("NO\xef\xbf\xbd" "EX"));
  EXPECT_EQ(j["model"].get<std::string>(), std::string("GR\xef\xbf\xbd" "PHX"));
}

TEST(OnnxImport, UnsupportedNodesAreNamedOneLineOrAllListed) {
  const std::string file = test::write_file("two_unsupported.onnx", "");
  ASSERT_EQ(sh("/usr/bin/python3 -c \"import onnx; from onnx import helper, TensorProto as T; "
               "g = helper.make_graph([helper.make_node('Hardmax', ['x'], ['a']), helper.make_node('Relu', ['a'], ['b']), "
               "helper.make_node('Det', ['x'], ['c'])], 'g', [helper.make_tensor_value_info('x', T.FLOAT, [1, 2, 4, 4])], "
               "[helper.make_tensor_value_info('b', T.FLOAT, ['d']), helper.make_tensor_value_info('c', T.FLOAT, ['d'])], "
               "[]); m = helper.make_model(g, opset_imports=[helper.make_opsetid('', 13)]); "
               "m.ir_version = 7; open('" + file + "', 'wb').write(m.SerializeToString())\""),
            0);
  test::expect_one_line(run_catsim("info " + file), 2,
                        "node 'Hardmax_0' (Hardmax, opset 13): this operator is not modelled "
                        "(and 1 more; --list-unsupported names them)");
  const auto all = run_catsim("info --list-unsupported " + file);
  EXPECT_EQ(all.exit_code, 2);
  EXPECT_EQ(std::count(all.err.begin(), all.err.end(), '\n'), 2) << all.err;  // the Relu after Hardmax is not named
  EXPECT_NE(all.err.find("node 'Det_2' (Det, opset 13): this operator is not modelled"), std::string::npos) << all.err;
  const auto ok = run_catsim("info --list-unsupported " + kReal + "/hello_deepa.onnx");
  EXPECT_EQ(ok.exit_code, 0);
  EXPECT_NE(ok.out.find("every node is supported"), std::string::npos);
}

TEST(OnnxImport, BindingErrorsAreOneLine) {
  test::expect_one_line(run_catsim("info " + bert_onnx()), 2,
                        "unknown input dimensions: 'input_ids' dimension 0 'batch', 'input_ids' dimension 1 'sequence'");
  test::expect_one_line(run_catsim("info " + bert_onnx() + kBind + " --set model.dims.seq=16"), 2,
                        "dims.seq: the graph has no symbolic dimension 'seq' left to bind");
  test::expect_one_line(run_catsim("info " + bert_onnx() + " --set model.inputs.input_ids=2x16x1"), 2,
                        "graph input 'input_ids' has rank 2, the binding 3");
  test::expect_one_line(run_catsim("info " + bert_onnx() + " --set model.inputs.input_ids=2x0"), 2,
                        "'0' is not a dimension from 1 to 2147483648");
  test::expect_one_line(run_catsim("info " + bert_onnx() + " --set model.dims.batch=-1 --set model.dims.sequence=16"), 2,
                        "dims.batch");
  test::expect_one_line(run_catsim("info " + bert_onnx() + " --set model.dims.batch=4294967296 --set model.dims.sequence=16"),
                        2, "dims.batch");
}

TEST(OnnxImport, FilesThatAreNotGraphsAreOneLine) {
  const std::string junk = test::write_file("junk.onnx", "this is not a protobuf message \x01\x02\xff");
  test::expect_one_line(run_catsim("info " + junk), 2, "junk.onnx: not ");
  const std::string newer = (test::scratch_dir() / "ir10.onnx").string();
  ASSERT_EQ(sh("/usr/bin/python3 -c \"import onnx; from onnx import helper, TensorProto as T; "
               "g = helper.make_graph([helper.make_node('Relu', ['x'], ['y'])], 'g', "
               "[helper.make_tensor_value_info('x', T.FLOAT, [1, 4])], [helper.make_tensor_value_info('y', T.FLOAT, [1, 4])]); "
               "m = helper.make_model(g); m.ir_version = 10; open('" + newer + "', 'wb').write(m.SerializeToString())\""),
            0);
  test::expect_one_line(run_catsim("info " + newer), 2, "IR version 10 is newer than catsim's ONNX library reads");
}

}  // namespace
}  // namespace catsim
