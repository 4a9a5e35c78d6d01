//! std.heap under load: many allocations of varied sizes through the
//! default allocator, freed and reallocated, with checksums of every block,
//! growing memory to well over 100 MiB.
const std = @import("std");

pub fn main(init: std.process.Init) !void {
    const io = init.io;
    const gpa = std.heap.wasm_allocator;
    var out_buffer: [1024]u8 = undefined;
    var stdout = std.Io.File.stdout().writer(io, &out_buffer);
    const out = &stdout.interface;
    defer out.flush() catch {};

    var blocks: std.ArrayList([]u8) = .empty;
    defer blocks.deinit(gpa);
    var state: u64 = 0x9e3779b97f4a7c15;
    var total: usize = 0;
    // Rounds of allocating blocks of 16 B to 1 MiB, then freeing every other one.
    for (0..8) |round| {
        for (0..600) |_| {
            state = state *% 6364136223846793005 +% 1442695040888963407;
            const size = @as(usize, 16) << @intCast((state >> 33) % 15);
            const block = try gpa.alloc(u8, size);
            @memset(block, @truncate(size ^ blocks.items.len));
            try blocks.append(gpa, block);
            total += size;
        }
        var kept: usize = 0;
        for (blocks.items, 0..) |block, i| {
            if (i % 2 == 1 and round < 7) {
                gpa.free(block);
            } else {
                blocks.items[kept] = block;
                kept += 1;
            }
        }
        blocks.shrinkRetainingCapacity(kept);
        try out.print("round {d}: {d} blocks live\n", .{ round, blocks.items.len });
    }

    // A single growing buffer: realloc up to 64 MiB.
    var buffer = try gpa.alloc(u8, 1);
    buffer[0] = 7;
    while (buffer.len < 64 << 20) {
        const old = buffer.len;
        buffer = try gpa.realloc(buffer, old * 2);
        @memset(buffer[old..], 7);
    }
    var intact = true;
    for (buffer) |b| intact = intact and b == 7;
    try out.print("realloc to {d} bytes: contents intact {}\n", .{ buffer.len, intact });
    gpa.free(buffer);

    // Hash maps and lists through an arena on top.
    var arena_state = std.heap.ArenaAllocator.init(gpa);
    defer arena_state.deinit();
    const arena = arena_state.allocator();
    var map: std.AutoHashMapUnmanaged(u32, []u8) = .empty;
    for (0..100_000) |i| try map.put(arena, @intCast(i), try std.fmt.allocPrint(arena, "value {d}", .{i}));
    try out.print("map: {d} entries, 77777 -> \"{s}\"\n", .{ map.count(), map.get(77777).? });

    var blocks_intact = true;
    for (blocks.items) |block| {
        for (block) |b| blocks_intact = blocks_intact and b == block[0];
    }
    try out.print("allocated {d} bytes in blocks; live blocks intact {}\n", .{ total, blocks_intact });
    try out.print("memory grew beyond 100 MiB: {}\n", .{@wasmMemorySize(0) * 65536 > 100 << 20});
}
