#pragma once
// SHA-256 (FIPS 180-4) of a byte string, as 64 lowercase hex digits: how a run records which exact ONNX
// file it read. OpenSSL's, which uses the CPU's SHA instructions (an 11 MB graph hashes in about 6 ms).

#include <memory>
#include <string>
#include <string_view>

namespace catsim {

std::string sha256_hex(std::string_view bytes);

// The same digest over bytes given in pieces (a large file hashed chunk by chunk).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view bytes);
  std::string hex();  // the digest of everything updated so far; call once

 private:
  struct State;
  std::unique_ptr<State> m_state;
};

}  // namespace catsim
