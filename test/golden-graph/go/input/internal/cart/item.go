package cart

type Item struct {
	Name  string
	Cents int
}

// price is used by cart.go, in the same package, without an import.
func price(item Item) int {
	return item.Cents
}
