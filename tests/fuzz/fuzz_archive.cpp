// libFuzzer target: an archive row as a tampered or damaged search folder holds it, read back the way
// `catsim search --resume` reads its archive. The input is the row's two stored texts, the parameter values
// and the result (JSON), split at the first newline; they replace the row of a real archive, and reading it
// must either refuse it in one line or give a result whose every number is finite and non-negative.

#include <sqlite3.h>

#include <string>

#include "search/archive.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

// The archive every input rewrites: created once per process with one valid row (id 0).
const std::string& archive_path() {
  static const std::string path = [] {
    const std::string p = "/tmp/catsim_fuzz_archive_" + std::to_string(::getpid()) + ".sqlite";
    std::remove(p.c_str());
    catsim::Archive archive(p, "fuzz", {"arch.cores"});
    catsim::ArchivedPoint point;
    point.values = {"2"};
    point.result.status = "ok";
    point.result.latency_s = 1e-3;
    archive.add_point(point);
    return p;
  }();
  return path;
}

// Stores `values` and `result` as row 0's texts, as a hand edit of the database would.
void tamper(const std::string& values, const std::string& result) {
  sqlite3* db = nullptr;
  if (sqlite3_open(archive_path().c_str(), &db) != SQLITE_OK) catsim::fuzz::finding("cannot open the archive");
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, "UPDATE points SET point_values = ?, result = ? WHERE id = 0", -1, &s, nullptr);
  sqlite3_bind_text(s, 1, values.data(), static_cast<int>(values.size()), SQLITE_TRANSIENT);
  sqlite3_bind_text(s, 2, result.data(), static_cast<int>(result.size()), SQLITE_TRANSIENT);
  const int rc = sqlite3_step(s);
  sqlite3_finalize(s);
  sqlite3_close(db);
  if (rc != SQLITE_DONE) catsim::fuzz::finding("cannot rewrite the row");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace catsim;
  const std::string input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.find('\n');
  tamper(input.substr(0, newline), newline == std::string::npos ? "" : input.substr(newline + 1));
  fuzz::expect_clean([&] {
    const Archive archive(archive_path(), "fuzz", {"arch.cores"});
    for (const ArchivedPoint& p : archive.points()) {
      const PointResult& r = p.result;
      for (const std::optional<double>* v : {&r.accuracy, &r.latency_s, &r.energy_j, &r.area_mm2, &r.tops, &r.power_w,
                                             &r.carbon_total_g, &r.carbon_operational_g, &r.carbon_embodied_g,
                                             &r.array_utilization})
        if (*v) fuzz::require_finite(**v, "an archived metric");
      fuzz::require_finite(r.wall_s, "wall_s");
    }
  });
  return 0;
}
