#pragma once
// Accuracy of a model shape, from one of three sources: a table of measured accuracies, the user's own
// evaluation command (run once per shape, cached in the archive, with a timeout), or a documented proxy
// that every output labels `proxy`. Accuracy depends on the shape only, never on the hardware.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "search/accuracy_table.h"
#include "search/space.h"

namespace catsim {

struct ShapeAccuracy {
  double value = 0;
  std::string source;  // table | command | proxy
};

// Accuracy per shape from the space's source, each shape computed once and remembered (the archive keeps
// the values, so a resumed search never reruns an expensive evaluation command).
class AccuracySource {
 public:
  // `cached`: accuracies already in the archive (shape key -> value, source).
  AccuracySource(const SearchSpace& space, std::map<std::string, std::pair<double, std::string>> cached);

  // Accuracy of shape `index`, or nullopt when the space has no accuracy source (all-hw). `record` is
  // called for a newly computed value so the archive keeps it. Throws ConfigError (table miss, command failure).
  std::optional<ShapeAccuracy> of(std::size_t index,
                                  const std::function<void(const std::string&, const ShapeAccuracy&)>& record);

  std::string shape_key(std::size_t index) const;

 private:
  ShapeAccuracy from_table(std::size_t index);
  ShapeAccuracy from_command(std::size_t index) const;
  ShapeAccuracy from_proxy(std::size_t index) const;

  const SearchSpace& m_space;
  std::map<std::string, std::pair<double, std::string>> m_cache;
  std::optional<AccuracyTable> m_table;
};

// The proxy: the fraction (0-1) of the base model's parameters the shape keeps. Monotone in every pruning
// key and cheap; it is NOT an accuracy, and every output labels it `proxy`.
double proxy_accuracy(const SearchSpace& space, std::size_t shape_index);

// Runs `command` through /bin/sh with a time limit; returns the number on the last non-empty line of its
// stdout. Throws ConfigError naming the command on a non-zero exit, timeout or unparsable output.
double run_accuracy_command(const std::string& command, double timeout_s);

}  // namespace catsim
