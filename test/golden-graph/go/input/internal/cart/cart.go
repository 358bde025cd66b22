package cart

type Cart struct {
	items []Item
}

func New() *Cart {
	return &Cart{}
}

func (c *Cart) Add(item Item) {
	c.items = append(c.items, item)
}

func (c *Cart) Total() int {
	total := 0
	for _, item := range c.items {
		total += price(item)
	}
	return total
}
