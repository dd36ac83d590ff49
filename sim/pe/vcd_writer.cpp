#include "sim/pe/vcd_writer.h"

#include <stdexcept>
#include <utility>

namespace catsim {

VcdWriter::VcdWriter(std::ostream& out, std::string scope, std::string timescale)
    : m_out(out), m_scope(std::move(scope)), m_timescale(std::move(timescale)) {}

std::string VcdWriter::code_for(std::size_t index) {
  constexpr char kFirst = '!';  // identifiers use the printable ASCII range '!'..'~'
  constexpr std::size_t kBase = '~' - '!' + 1;
  std::string code;
  do {
    code += static_cast<char>(kFirst + index % kBase);
    index /= kBase;
  } while (index > 0);
  return code;
}

int VcdWriter::add_wire(const std::string& name, int width) {
  if (m_header_written) throw std::logic_error("VCD: wire '" + name + "' declared after the first sample");
  if (width < 1 || width > 64) throw std::invalid_argument("VCD: wire width must be 1..64 bits");
  m_wires.push_back(Wire{name, code_for(m_wires.size()), width, 0, false});
  return static_cast<int>(m_wires.size()) - 1;
}

void VcdWriter::write_header() {
  m_out << "$version catsim PE-level reference model $end\n"
        << "$timescale " << m_timescale << " $end\n"
        << "$scope module " << m_scope << " $end\n";
  for (const Wire& w : m_wires)
    m_out << "$var wire " << w.width << ' ' << w.code << ' ' << w.name << " $end\n";
  m_out << "$upscope $end\n$enddefinitions $end\n#0\n$dumpvars\n";
  for (const Wire& w : m_wires) m_out << (w.width == 1 ? "x" : "bx ") << w.code << '\n';
  m_out << "$end\n";
  m_header_written = true;
  m_time_written = true;
}

void VcdWriter::write_value(const Wire& w) {
  if (w.width == 1) {
    m_out << (w.value ? '1' : '0') << w.code << '\n';
    return;
  }
  std::string bits;
  for (std::uint64_t v = w.value; v != 0; v >>= 1)
    bits.insert(bits.begin(), static_cast<char>('0' + (v & 1)));
  m_out << 'b' << (bits.empty() ? "0" : bits) << ' ' << w.code << '\n';
}

void VcdWriter::move_to(std::uint64_t time) {
  if (!m_header_written) write_header();
  if (time < m_time) throw std::logic_error("VCD: sample times must not decrease");
  if (time > m_time) m_time_written = false;
  m_time = time;
}

void VcdWriter::sample(std::uint64_t time, int wire, std::uint64_t value) {
  move_to(time);
  Wire& w = m_wires.at(static_cast<std::size_t>(wire));
  if (w.width < 64) value &= (std::uint64_t{1} << w.width) - 1;
  if (w.known && w.value == value) return;
  if (!m_time_written) m_out << '#' << m_time << '\n';
  m_time_written = true;
  w.value = value;
  w.known = true;
  write_value(w);
}

void VcdWriter::finish(std::uint64_t end_time) {
  move_to(end_time);
  if (!m_time_written) m_out << '#' << m_time << '\n';
  m_time_written = true;
  m_out.flush();
}

}  // namespace catsim
