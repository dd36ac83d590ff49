#include "apps/search/mpi_search.h"

#include <unistd.h>

#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>
#include <nlohmann/json.hpp>

#include "arch/config/error.h"
#include "sim/run/fork_runner.h"

namespace catsim {
namespace {

namespace mpi = boost::mpi;

constexpr int kTagPoint = 1;   // rank 0 -> worker: {index, overrides}
constexpr int kTagResult = 2;  // worker -> rank 0: {index, outcome}
constexpr int kTagStop = 3;    // rank 0 -> worker: the search is over

nlohmann::json outcome_json(const ChildOutcome& o) {
  return {{"ok", o.ok},           {"exit_code", o.exit_code}, {"signal", o.signal}, {"timed_out", o.timed_out},
          {"payload", o.payload}, {"wall_s", o.wall_s},       {"error", o.error}};
}

ChildOutcome outcome_from(const nlohmann::json& j) {
  ChildOutcome o;
  o.ok = j.at("ok");
  o.exit_code = j.at("exit_code");
  o.signal = j.at("signal");
  o.timed_out = j.at("timed_out");
  o.payload = j.at("payload");
  o.wall_s = j.at("wall_s");
  o.error = j.at("error");
  return o;
}

// Rank 0's dispatcher: keeps every worker rank busy with one point, collects results as they arrive.
class MpiDispatcher : public PointDispatcher {
 public:
  explicit MpiDispatcher(mpi::communicator& world) : m_world(world) {}

  void run(const std::vector<std::vector<Override>>& points, const OnDone& on_done) override {
    std::vector<int> idle;
    for (int r = m_world.size() - 1; r >= 1; --r) idle.push_back(r);
    std::size_t next = 0, busy = 0;
    while (next < points.size() || busy > 0) {
      for (; next < points.size() && !idle.empty(); ++next, ++busy) {
        nlohmann::json ov = nlohmann::json::array();
        for (const auto& o : points[next]) ov.push_back({o.target, o.path, o.value});
        m_world.send(idle.back(), kTagPoint, nlohmann::json{{"index", next}, {"overrides", ov}}.dump());
        idle.pop_back();
      }
      while (!m_world.iprobe(mpi::any_source, kTagResult)) ::usleep(500);  // no busy-wait on a shared machine
      std::string msg;
      const mpi::status st = m_world.recv(mpi::any_source, kTagResult, msg);
      idle.push_back(st.source());
      --busy;
      const auto j = nlohmann::json::parse(msg);
      on_done(j.at("index").get<std::size_t>(), outcome_from(j.at("outcome")));
    }
  }

  void stop_workers() {
    for (int r = 1; r < m_world.size(); ++r) m_world.send(r, kTagStop, std::string());
  }

 private:
  mpi::communicator& m_world;
};

// A worker rank: evaluates points in forked children until rank 0 says stop.
void worker_loop(mpi::communicator& world, const SearchSpace& space, const PointEvaluator& evaluator) {
  for (;;) {
    while (!world.iprobe(0, mpi::any_tag)) ::usleep(500);
    std::string msg;
    const mpi::status st = world.recv(0, mpi::any_tag, msg);
    if (st.tag() == kTagStop) return;
    const auto j = nlohmann::json::parse(msg);
    std::vector<Override> ov;
    for (const auto& o : j.at("overrides")) ov.push_back({o.at(0), o.at(1), o.at(2)});
    const ChildOutcome out =
        run_in_child([&] { return evaluate_to_payload(evaluator, space, ov); }, space.timeout_s);
    world.send(0, kTagResult, nlohmann::json{{"index", j.at("index")}, {"outcome", outcome_json(out)}}.dump());
  }
}

}  // namespace

std::optional<SearchSummary> run_mpi_search(const SearchSpace& space, const SearchOptions& options,
                                            const PointEvaluator& evaluator) {
  mpi::environment env(false);  // an exception (bad input) reaches the command line, which prints it: no MPI_Abort
  mpi::communicator world;
  if (world.size() < 2)
    throw ConfigError({"command line", 0, 0}, "--mpi",
                      "needs at least 2 ranks (rank 0 optimizes, the others evaluate): mpirun -np N catsim search ...");
  if (world.rank() != 0) {
    worker_loop(world, space, evaluator);
    return std::nullopt;
  }
  MpiDispatcher dispatcher(world);
  try {
    const SearchSummary s = run_search(space, options, dispatcher);
    dispatcher.stop_workers();
    return s;
  } catch (...) {
    dispatcher.stop_workers();
    throw;
  }
}

}  // namespace catsim
