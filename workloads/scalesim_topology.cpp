#include "workloads/scalesim_topology.h"

#include <filesystem>

#include "arch/config/error.h"
#include "arch/config/whole_integer.h"
#include "arch/io/csv_table.h"
#include "arch/io/input_file.h"
#include "workloads/dim_limits.h"

namespace catsim {
namespace {

constexpr std::size_t kGemmColumns = 4;      // name, M, N, K
constexpr std::size_t kConvColumns = 8;      // name, H, W, R, S, C, filters, stride (stride width optional)
constexpr std::int64_t kMaxDepthwiseChannels = 65'536;  // a depthwise layer becomes one GEMM per channel
// Every layer costs the pipeline about 10 KB (ops, program, report): real topologies have a few hundred
// rows and, with depthwise layers, a few thousand GEMMs.
constexpr std::size_t kMaxTopologyRows = 10'000;
constexpr std::size_t kMaxLoweredGemms = 65'536;

// A positive integer field, at most `hi`.
std::int64_t dim(const CsvTable& t, const CsvRow& row, std::size_t col, std::int64_t hi) {
  const std::string& name = t.header[col];
  if (col >= row.fields.size() || row.fields[col].empty())
    throw ConfigError({t.file, row.line, 1}, name, "missing value (expected a positive integer)");
  const std::string& s = row.fields[col];
  const std::optional<long long> v = whole_integer(s);
  if (!v || *v < 1 || *v > hi)
    throw ConfigError({t.file, row.line, 1}, name,
                      "'" + s + "' is not an integer from 1 to " + std::to_string(hi));
  return *v;
}

GemmSpec gemm_row(const CsvTable& t, const CsvRow& row) {
  GemmSpec g;
  g.name = row.fields[0];
  g.m = dim(t, row, 1, dim_range("m").hi);
  g.n = dim(t, row, 2, dim_range("n").hi);
  g.k = dim(t, row, 3, dim_range("k").hi);
  return g;
}

// One convolution row lowered to GEMM(s), as SCALE-Sim does.
void conv_rows(const CsvTable& t, const CsvRow& row, std::vector<GemmSpec>& out) {
  const std::int64_t hi = dim_range("m").hi;
  const std::int64_t h = dim(t, row, 1, hi), w = dim(t, row, 2, hi), fh = dim(t, row, 3, hi), fw = dim(t, row, 4, hi);
  std::int64_t channels = dim(t, row, 5, hi);
  const std::int64_t filters = dim(t, row, 6, hi), sh = dim(t, row, 7, hi);
  const std::int64_t sw = row.fields.size() > 8 && !row.fields[8].empty() ? dim(t, row, 8, hi) : sh;
  if (fh > h) throw ConfigError({t.file, row.line, 1}, t.header[3], "filter height exceeds the IFMAP height");
  if (fw > w) throw ConfigError({t.file, row.line, 1}, t.header[4], "filter width exceeds the IFMAP width");
  const std::int64_t oh = (h - fh + sh + sh - 1) / sh, ow = (w - fw + sw + sw - 1) / sw;
  const bool depthwise = row.fields[0].find("DP") != std::string::npos;
  if (depthwise && channels > kMaxDepthwiseChannels)
    throw ConfigError({t.file, row.line, 1}, t.header[5], "more than 65536 channels in a depthwise layer");
  const std::int64_t copies = depthwise ? channels : 1;
  if (depthwise) channels = 1;
  for (std::int64_t c = 0; c < copies; ++c) {
    GemmSpec g;
    g.name = depthwise ? row.fields[0] + "Channel_" + std::to_string(c) : row.fields[0];
    g.m = oh * ow;
    g.n = filters;
    g.k = fh * fw * channels;
    for (auto [v, key] : {std::pair{g.m, "m"}, std::pair{g.n, "n"}, std::pair{g.k, "k"}})
      if (v > dim_range(key).hi)
        throw ConfigError({t.file, row.line, 1}, key, "the lowered GEMM's " + std::string(key) + " = " +
                                                          std::to_string(v) + " is too large");
    out.push_back(std::move(g));
  }
}

}  // namespace

bool is_topology_csv(const std::string& file) { return std::filesystem::path(file).extension() == ".csv"; }

std::vector<GemmSpec> parse_scalesim_topology(const std::string& text, const std::string& file) {
  const CsvTable t = parse_csv_table(text, file);
  const std::size_t cols = t.header.size();
  if (cols != kGemmColumns && cols != kConvColumns && cols != kConvColumns + 1)
    throw ConfigError({file, 1, 1}, "",
                      "header has " + std::to_string(cols) +
                          " columns (expected a SCALE-Sim topology: Layer, M, N, K or Layer name, IFMAP Height, "
                          "IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides)");
  if (t.rows.size() > kMaxTopologyRows)
    throw ConfigError({file, t.rows[kMaxTopologyRows].line, 1}, "",
                      "more than " + std::to_string(kMaxTopologyRows) + " layers (" + std::to_string(t.rows.size()) +
                          " rows)");
  std::vector<GemmSpec> out;
  for (const CsvRow& row : t.rows) {
    if (row.fields.empty() || row.fields[0].empty())
      throw ConfigError({file, row.line, 1}, t.header[0], "missing layer name");
    const std::size_t need = cols == kGemmColumns ? kGemmColumns : kConvColumns;
    if (row.fields.size() < need)
      throw ConfigError({file, row.line, 1}, "",
                        "row has " + std::to_string(row.fields.size()) + " fields (expected " + std::to_string(need) + ")");
    if (cols == kGemmColumns) out.push_back(gemm_row(t, row));
    else conv_rows(t, row, out);
    if (out.size() > kMaxLoweredGemms)
      throw ConfigError({file, row.line, 1}, "",
                        "the layers so far lower to " + std::to_string(out.size()) + " GEMMs (at most " +
                            std::to_string(kMaxLoweredGemms) + "; depthwise layers give one per channel)");
  }
  if (out.empty()) throw ConfigError({file, 0, 0}, "", "no layers (expected at least one row after the header)");
  return out;
}

std::vector<GemmSpec> read_scalesim_topology(const std::string& file) {
  return parse_scalesim_topology(read_input_file(file), file);
}

}  // namespace catsim
