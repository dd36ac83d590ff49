#pragma once
// SHA-256 (FIPS 180-4) of a byte string, as 64 lowercase hex digits: how a run records which exact ONNX
// file it read. OpenSSL's, which uses the CPU's SHA instructions (an 11 MB graph hashes in about 6 ms).

#include <string>
#include <string_view>

namespace catsim {

std::string sha256_hex(std::string_view bytes);

}  // namespace catsim
