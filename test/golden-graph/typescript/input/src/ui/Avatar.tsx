export function Avatar({ name }: { name: string }) {
  return <img alt={name} src={`/avatars/${name}.png`} />;
}
