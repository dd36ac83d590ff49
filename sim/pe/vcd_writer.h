#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace catsim {

// Writes a Value Change Dump (IEEE 1364 section 18) that waveform viewers such as GTKWave open:
// declare the variables, then sample them per cycle; only changes are written, under monotonic #times.
class VcdWriter {
 public:
  // `scope` names the one module all variables live in; one time unit is one cycle of `timescale`.
  explicit VcdWriter(std::ostream& out, std::string scope = "catsim", std::string timescale = "1ns");

  // Declares a wire of `width` bits (1..64) and returns its handle; only before the first sample.
  int add_wire(const std::string& name, int width);
  // Value of `wire` from `time` on; times must not decrease between calls.
  void sample(std::uint64_t time, int wire, std::uint64_t value);
  // Marks the end of the dump so viewers show the last cycle in full (writes the header if nothing was
  // sampled).
  void finish(std::uint64_t end_time);

 private:
  struct Wire {
    std::string name;
    std::string code;  // the short identifier VCD uses in value changes
    int width = 1;
    std::uint64_t value = 0;
    bool known = false;  // false until the first sample: the dump starts as 'x'
  };

  static std::string code_for(std::size_t index);
  void write_header();
  void write_value(const Wire& wire);
  void move_to(std::uint64_t time);

  std::ostream& m_out;
  std::string m_scope;
  std::string m_timescale;
  std::vector<Wire> m_wires;
  bool m_header_written = false;
  std::uint64_t m_time = 0;     // current sample time
  bool m_time_written = false;  // whether "#m_time" is already in the file
};

}  // namespace catsim
