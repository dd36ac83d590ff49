#include "arch/config/yaml_snapshot.h"

#include <cstdint>
#include <stdexcept>
#include <string>

namespace catsim {
namespace {

thread_local bool t_snapshots_on = false;

// Reads the encoding of tools/yaml_snapshot_gen.cpp. Nodes are filled from the top down, each created in
// the root's memory: yaml-cpp merges a separately built subtree's memory into its parent's node by node.
class TreeReader {
 public:
  explicit TreeReader(std::string_view tree) : m_tree(tree) {}

  void fill(YAML::Node n) {
    const char tag = byte();
    if (tag == 'N') {
      n = YAML::Node(YAML::NodeType::Null);
    } else if (tag == 'V') {
      n = scalar();
    } else if (tag == 'S') {
      n = YAML::Node(YAML::NodeType::Sequence);
      for (std::uint32_t i = 0, size = length(); i < size; ++i) {
        YAML::Node element(YAML::NodeType::Null);
        n.push_back(element);
        fill(element);
      }
    } else if (tag == 'M') {
      n = YAML::Node(YAML::NodeType::Map);
      for (std::uint32_t i = 0, size = length(); i < size; ++i) {
        if (byte() != 'V') throw std::logic_error("a snapshot's map key is not a scalar");
        YAML::Node value(YAML::NodeType::Null);
        n.force_insert(scalar(), value);  // no search: the generator refused duplicate keys
        fill(value);
      }
    } else {
      throw std::logic_error("a snapshot holds an unknown node tag");
    }
  }

  bool done() const { return m_at == m_tree.size(); }

 private:
  char byte() {
    if (m_at >= m_tree.size()) throw std::logic_error("a snapshot ends early");
    return m_tree[m_at++];
  }
  std::uint32_t length() {
    std::uint32_t n = 0;
    for (int i = 0; i < 4; ++i) n |= static_cast<std::uint32_t>(static_cast<unsigned char>(byte())) << (8 * i);
    return n;
  }
  std::string scalar() {
    const std::uint32_t n = length();
    if (n > m_tree.size() - m_at) throw std::logic_error("a snapshot ends early");
    std::string s(m_tree.substr(m_at, n));
    m_at += n;
    return s;
  }

  std::string_view m_tree;
  std::size_t m_at = 0;
};

}  // namespace

SnapshotScope::SnapshotScope() : m_was_on(t_snapshots_on) { t_snapshots_on = true; }

SnapshotScope::~SnapshotScope() { t_snapshots_on = m_was_on; }

std::optional<YAML::Node> snapshot_tree(std::string_view text) {
  if (!t_snapshots_on) return std::nullopt;
  for (const YamlSnapshot& s : yaml_snapshots())
    if (s.text == text) {
      YAML::Node root(YAML::NodeType::Null);  // a node of its own, which fill's copy shares
      TreeReader reader(s.tree);
      reader.fill(root);
      if (!reader.done()) throw std::logic_error("a snapshot holds more than one tree");
      return root;
    }
  return std::nullopt;
}

}  // namespace catsim
