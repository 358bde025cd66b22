#include <iostream>
#include <memory>
#include <vector>

#include "geom/circle.hpp"
#include "render/render.hpp"

int main() {
  std::vector<std::unique_ptr<geom::Shape>> shapes;
  auto circle = std::make_unique<geom::Circle>(2.0);
  circle->scale(1.5);
  shapes.push_back(std::move(circle));
  for (const auto &shape : shapes) std::cout << describe(*shape) << '\n';
  return 0;
}
