#pragma once

namespace geom {

class Shape {
public:
  virtual ~Shape() = default;
  virtual double area() const = 0;
};

}  // namespace geom
