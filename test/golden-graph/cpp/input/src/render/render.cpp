#include "render.hpp"

#include <sstream>

#include "geom/shape.hpp"

std::string describe(const geom::Shape &shape) {
  std::ostringstream out;
  out << "area " << shape.area();
  return out.str();
}
