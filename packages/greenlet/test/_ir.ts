import { Greenlet, sync } from '@greenstackless/greenlet';
const N = +process.argv[2]; const form = process.argv[3] ?? 'yield';
let a: Greenlet, b: Greenlet;
if (form === 'floor') {
  function* A() { let v = 0; for (;;) v = (yield v + 1) as number; }
  const x = A(), y = A(); x.next(); y.next(); let v: any = 0;
  for (let i = 0; i < N; i++) { v = x.next(v).value; v = y.next(v).value; }
} else {
a = new Greenlet(function* (n: number) { let v = 0; for (let i = 0; i < n; i++) v = (yield b.switch(v + 1)) as number; return v; });
b = new Greenlet(function* (v: number) { for (;;) v = (yield a.switch(v + 1)) as number; });
sync(a.switch(N));
}
