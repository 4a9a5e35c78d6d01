//! std.Io.Dir and std.Io.File on the preopen "/sandbox": walk the tree,
//! read files, write new ones and a directory, then walk again.
const std = @import("std");

pub fn main(init: std.process.Init) !void {
    const io = init.io;
    const arena = init.arena.allocator();
    var out_buffer: [4096]u8 = undefined;
    var stdout = std.Io.File.stdout().writer(io, &out_buffer);
    const out = &stdout.interface;
    defer out.flush() catch {};

    const sandbox = switch (init.preopens.get("/sandbox") orelse return error.NoSandbox) {
        .dir => |dir| dir,
        .file => return error.SandboxIsAFile,
    };

    try walk(io, arena, out, sandbox, "before");

    const hello = try sandbox.readFileAlloc(io, "hello.txt", arena, .limited(1 << 20));
    try out.print("hello.txt: {d} bytes \"{s}\"\n", .{ hello.len, std.mem.trimEnd(u8, hello, "\n") });
    const nested = try sandbox.readFileAlloc(io, "dir/nested.txt", arena, .limited(1 << 20));
    try out.print("dir/nested.txt: \"{s}\"\n", .{std.mem.trimEnd(u8, nested, "\n")});
    if (sandbox.readFileAlloc(io, "missing.txt", arena, .limited(1 << 20))) |_| {
        try out.print("missing.txt: read?\n", .{});
    } else |e| try out.print("missing.txt: {s}\n", .{@errorName(e)});

    try sandbox.createDirPath(io, "made/deeper");
    try sandbox.writeFile(io, .{ .sub_path = "made/deeper/out.txt", .data = "written by zig\n" });

    // A file written in pieces through a buffered writer, then read back.
    {
        const file = try sandbox.createFile(io, "made/lines.txt", .{});
        defer file.close(io);
        var buffer: [64]u8 = undefined;
        var writer = file.writer(io, &buffer);
        for (0..1000) |i| try writer.interface.print("line {d}\n", .{i});
        try writer.interface.flush();
    }
    const lines = try sandbox.readFileAlloc(io, "made/lines.txt", arena, .limited(1 << 20));
    try out.print("lines.txt: {d} bytes, {d} lines, last \"{s}\"\n", .{
        lines.len,
        std.mem.countScalar(u8, lines, '\n'),
        lines[std.mem.lastIndexOfScalar(u8, lines[0 .. lines.len - 1], '\n').? + 1 .. lines.len - 1],
    });

    try sandbox.deleteFile(io, "full_dir/a.txt");
    try sandbox.rename("digits.txt", sandbox, "made/digits.txt", io);
    if (sandbox.deleteDir(io, "full_dir")) |_| {
        try out.print("deleteDir full_dir: ok?\n", .{});
    } else |e| try out.print("deleteDir full_dir: {s}\n", .{@errorName(e)});

    try walk(io, arena, out, sandbox, "after");
}

/// Prints every entry under `dir` (sorted: walking order is the host's).
fn walk(io: std.Io, arena: std.mem.Allocator, out: *std.Io.Writer, dir: std.Io.Dir, label: []const u8) !void {
    const iterable = try dir.openDir(io, ".", .{ .iterate = true });
    defer iterable.close(io);
    var walker = try iterable.walk(arena);
    defer walker.deinit();
    var entries: std.ArrayList([]const u8) = .empty;
    while (try walker.next(io)) |entry| {
        try entries.append(arena, try std.fmt.allocPrint(arena, "{s} {s}", .{ entry.path, @tagName(entry.kind) }));
    }
    std.mem.sort([]const u8, entries.items, {}, lessThan);
    try out.print("{s}: {d} entries\n", .{ label, entries.items.len });
    for (entries.items) |line| try out.print("  {s}\n", .{line});
}

fn lessThan(_: void, a: []const u8, b: []const u8) bool {
    return std.mem.lessThan(u8, a, b);
}
