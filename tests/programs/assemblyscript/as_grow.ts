// An AssemblyScript program that starts with no memory (its module declares
// `(memory 0)`) and grows it many times from its allocator: arrays and
// strings of growing size, some kept and some dropped for the collector.
let kept = new Array<Uint8Array>();
let total: u64 = 0;
for (let round = 0; round < 200; round++) {
  const size = 4096 + round * 8192;
  const block = new Uint8Array(size);
  block.fill(<u8>(round & 0xff));
  total += <u64>size;
  if (round % 3 == 0) kept.push(block);
  const text = "round " + round.toString();
  if (text.length == 0) console.log("impossible");
}
let intact = true;
for (let i = 0; i < kept.length; i++) {
  const block = kept[i];
  const expected = <u8>((i * 3) & 0xff);
  for (let j = 0; j < block.length; j += 997) intact = intact && block[j] == expected;
}
console.log("allocated " + total.toString() + " bytes, kept " + kept.length.toString() + " blocks, intact " + intact.toString());
console.log("memory grew to at least 16 MiB: " + (memory.size() >= 256).toString());
