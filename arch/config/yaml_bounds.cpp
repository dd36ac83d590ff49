#include "arch/config/yaml_bounds.h"

#include <set>

#include "arch/config/error.h"

namespace catsim {
namespace {

SourceLocation at(const YAML::Node& n, const std::string& file) {
  if (file == "--set") return {file, 0, 0};
  const YAML::Mark m = n.Mark();
  if (m.is_null()) return {file, 0, 0};
  return {file, m.line + 1, m.column + 1};
}

// Walks a parsed tree as the parsers later will, with aliases expanded, counting nodes and depth: yaml-cpp
// shares aliased nodes, so a small file can expand to billions of nodes in every later traversal.
class TreeCheck {
 public:
  explicit TreeCheck(const std::string& file) : m_file(file) {}

  void visit(const YAML::Node& n, int depth, const std::string& path) {
    if (++m_nodes > kMaxYamlNodes)
      throw ConfigError(at(n, m_file), path,
                        "more than 100000 nodes with aliases expanded (an alias bomb?) (expected a small config)");
    if (depth > kMaxYamlDepth)
      throw ConfigError(at(n, m_file), path, "nested more than 64 levels deep (expected a small config)");
    if (n.IsSequence()) {
      for (std::size_t i = 0; i < n.size(); ++i) visit(n[i], depth + 1, path + "[" + std::to_string(i) + "]");
    } else if (n.IsMap()) {
      std::set<std::string> seen;
      for (const auto& kv : n) {
        if (!kv.first.IsScalar())
          throw ConfigError(at(kv.first, m_file), path, "a key must be a plain name (expected key: value)");
        const std::string key = kv.first.Scalar();
        const std::string p = path.empty() ? key : path + "." + key;
        if (!seen.insert(key).second)
          throw ConfigError(at(kv.first, m_file), p, "duplicate key (each key may appear once per mapping)");
        visit(kv.second, depth + 1, p);
      }
    }
  }

 private:
  const std::string& m_file;
  std::size_t m_nodes = 0;
};

}  // namespace

void check_yaml_tree(const YAML::Node& root, const std::string& file) { TreeCheck(file).visit(root, 0, ""); }

YAML::Node load_bounded_yaml(const std::string& text, const std::string& file) {
  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAll(text);
  } catch (const YAML::Exception& e) {
    if (file == "--set") throw ConfigError({file, 0, 0}, "", "value is not valid YAML: " + e.msg);
    throw ConfigError({file, e.mark.line + 1, e.mark.column + 1}, "", "YAML syntax error: " + e.msg);
  }
  if (docs.size() > 1)
    throw ConfigError(at(docs[1], file), "", "a second YAML document (expected exactly one; remove the '---')");
  YAML::Node root = docs.empty() ? YAML::Node() : docs.front();
  check_yaml_tree(root, file);
  return root;
}

}  // namespace catsim
