#include "arch/config/yaml_bounds.h"

#include <yaml-cpp/eventhandler.h>

#include <optional>
#include <set>
#include <sstream>
#include <vector>

#include "arch/config/error.h"
#include "arch/config/yaml_snapshot.h"

namespace catsim {
namespace {

SourceLocation at(const YAML::Node& n, const std::string& file) {
  if (file == "--set") return {file, 0, 0};
  const YAML::Mark m = n.Mark();
  if (m.is_null()) return {file, 0, 0};
  return {file, m.line + 1, m.column + 1};
}

// Records where each document starts, building no nodes: counts documents before yaml-cpp builds one,
// and shows whether the parser made progress between them.
class DocumentStarts : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> marks;
  void OnDocumentStart(const YAML::Mark& mark) override { marks.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

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

ConfigError syntax_error(const std::string& file, const YAML::Mark& m, const std::string& what) {
  if (file == "--set") return ConfigError({file, 0, 0}, "", "value is not valid YAML: " + what);
  return ConfigError({file, m.line + 1, m.column + 1}, "", "YAML syntax error: " + what);
}

// Throws when `text` holds a second document, which yaml-cpp's loader would silently drop. Parses the
// whole first document again, so it runs only where only_one_document() cannot tell.
void refuse_second_document(const std::string& text, const std::string& file) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentStarts docs;
  while (docs.marks.size() < 2 && parser.HandleNextDocument(docs)) {
  }
  if (docs.marks.size() < 2) return;
  // yaml-cpp restarts an empty document forever at a stray ',' (found by fuzzing): no progress = syntax error.
  if (docs.marks[1].pos == docs.marks[0].pos)
    throw syntax_error(file, docs.marks[1], "unexpected ',' (expected key: value lines)");
  throw ConfigError(file == "--set" ? SourceLocation{file, 0, 0}
                                    : SourceLocation{file, docs.marks[1].line + 1, docs.marks[1].column + 1},
                    "", "a second YAML document (expected exactly one; remove the '---')");
}

// True when yaml-cpp cannot have ended the first document before the end of `text`. A document ends
// early only at a '---' or '...' marker or a '%' directive, each at a line's start, or where its root
// closes: a block map whose first key is in column 1 closes only at the end, as no line can be indented
// less. Text in another encoding than UTF-8 (a byte-order mark, NUL bytes) is left to the full check.
bool only_one_document(const std::string& text, const YAML::Node& root) {
  if (!root.IsMap() || root.Style() != YAML::EmitterStyle::Block || root.Mark().is_null() || root.Mark().column != 0)
    return false;
  if (text.find('\0') != std::string::npos) return false;
  if (!text.empty() && (static_cast<unsigned char>(text[0]) == 0xEF || static_cast<unsigned char>(text[0]) >= 0xFE))
    return false;
  for (std::size_t at = 0; at < text.size();) {
    if (text[at] == '%' || text.compare(at, 3, "---") == 0 || text.compare(at, 3, "...") == 0) return false;
    const std::size_t end = text.find_first_of("\r\n", at);
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return true;
}

}  // namespace

void check_yaml_tree(const YAML::Node& root, const std::string& file) { TreeCheck(file).visit(root, 0, ""); }

YAML::Node load_bounded_yaml(const std::string& text, const std::string& file) {
  if (std::optional<YAML::Node> shipped = snapshot_tree(text)) return *shipped;
  try {
    YAML::Node root = YAML::Load(text);
    if (!only_one_document(text, root)) refuse_second_document(text, file);
    check_yaml_tree(root, file);
    return root;
  } catch (const YAML::Exception& e) {
    throw syntax_error(file, e.mark, e.msg);
  }
}

}  // namespace catsim
