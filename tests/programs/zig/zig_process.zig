//! std.process: arguments, the environment, stdout and stderr, and the exit
//! code given as the first argument.
const std = @import("std");

pub fn main(init: std.process.Init) !void {
    const io = init.io;
    var out_buffer: [1024]u8 = undefined;
    var stdout = std.Io.File.stdout().writer(io, &out_buffer);
    const out = &stdout.interface;
    var err_buffer: [256]u8 = undefined;
    var stderr = std.Io.File.stderr().writer(io, &err_buffer);
    const err = &stderr.interface;

    const args = try init.minimal.args.toSlice(init.arena.allocator());
    try out.print("argc {d}\n", .{args.len});
    for (args, 0..) |arg, i| try out.print("arg {d}: \"{s}\"\n", .{ i, arg });

    const keys = init.environ_map.keys();
    const sorted = try init.arena.allocator().dupe([]const u8, keys);
    std.mem.sort([]const u8, sorted, {}, lessThan);
    try out.print("env count {d}\n", .{sorted.len});
    for (sorted) |key| try out.print("env {s}=\"{s}\"\n", .{ key, init.environ_map.get(key).? });
    try out.print("lookup ZIG_PROBE: {s}\n", .{init.environ_map.get("ZIG_PROBE") orelse "(unset)"});

    try err.print("to stderr from zig\n", .{});
    try err.flush();

    const code: u8 = if (args.len > 1) try std.fmt.parseInt(u8, args[1], 10) else 0;
    try out.print("exiting with {d}\n", .{code});
    try out.flush();
    std.process.exit(code);
}

fn lessThan(_: void, a: []const u8, b: []const u8) bool {
    return std.mem.lessThan(u8, a, b);
}
