import { chmod, mkdir, symlink } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { assertSafeFile } from "../../src/io/file-safety.js";
import { makeTempDir, writePrivate } from "./support.js";

describe(assertSafeFile.name, () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let file: string;

  beforeEach(async () => {
    ({ dir, cleanup } = await makeTempDir());
    file = join(dir, "auth-profiles.json");
  });
  afterEach(() => cleanup());

  it("accepts a 0600 file in a private directory", async () => {
    await writePrivate(file, "{}");
    await expect(assertSafeFile(file)).resolves.toBeUndefined();
  });

  it("accepts a file and a directory that do not exist yet", async () => {
    await expect(assertSafeFile(join(dir, "agents", "main", "auth-profiles.json"))).resolves.toBeUndefined();
  });

  it("refuses a group-readable file with the exact chmod to run", async () => {
    await writePrivate(file, "{}");
    await chmod(file, 0o640);
    await expect(assertSafeFile(file)).rejects.toMatchObject({
      code: "FILE_UNSAFE",
      hint: expect.stringContaining(`chmod 600 ${file}`),
      details: { file, mode: "0640", reason: "permissions" },
    });
  });

  it("refuses a world-writable file", async () => {
    await writePrivate(file, "{}");
    await chmod(file, 0o602);
    await expect(assertSafeFile(file)).rejects.toMatchObject({ code: "FILE_UNSAFE", details: { mode: "0602" } });
  });

  it("quotes a path with spaces in the hint", async () => {
    const spaced = join(dir, "my agent");
    await mkdir(spaced, { mode: 0o700 });
    const target = join(spaced, "auth-profiles.json");
    await writePrivate(target, "{}");
    await chmod(target, 0o644);
    await expect(assertSafeFile(target)).rejects.toMatchObject({ hint: expect.stringContaining(`chmod 600 '${target}'`) });
  });

  it("accepts loose permissions when allowed", async () => {
    await writePrivate(file, "{}");
    await chmod(file, 0o644);
    await chmod(dir, 0o777);
    await expect(assertSafeFile(file, { allowUnsafePermissions: true })).resolves.toBeUndefined();
  });

  it("refuses a symbolic link even when permissions are allowed", async () => {
    const real = join(dir, "real.json");
    await writePrivate(real, "{}");
    await symlink(real, file);
    for (const options of [{}, { allowUnsafePermissions: true }]) {
      await expect(assertSafeFile(file, options)).rejects.toMatchObject({
        code: "FILE_UNSAFE",
        message: expect.stringContaining("symbolic link"),
        details: { file, reason: "symlink" },
      });
    }
  });

  it("refuses a dangling symbolic link", async () => {
    await symlink(join(dir, "nowhere.json"), file);
    await expect(assertSafeFile(file)).rejects.toMatchObject({ code: "FILE_UNSAFE", details: { reason: "symlink" } });
  });

  it("refuses a world-writable directory without the sticky bit with the chmod to run", async () => {
    await writePrivate(file, "{}");
    await chmod(dir, 0o777);
    await expect(assertSafeFile(file)).rejects.toMatchObject({
      code: "FILE_UNSAFE",
      hint: expect.stringContaining(`chmod 700 ${dir}`),
      details: { directory: dir, mode: "0777", reason: "directory" },
    });
  });

  it("refuses a sticky world-writable directory: another user can create the file there first", async () => {
    await writePrivate(file, "{}");
    await chmod(dir, 0o1777);
    await expect(assertSafeFile(file)).rejects.toMatchObject({
      code: "FILE_UNSAFE",
      message: expect.stringContaining("sticky bit"),
      hint: expect.stringContaining(`chmod 700 ${dir}`),
      details: { directory: dir, mode: "01777", reason: "directory" },
    });
  });

  it("refuses a group-writable directory", async () => {
    await writePrivate(file, "{}");
    await chmod(dir, 0o770);
    await expect(assertSafeFile(file)).rejects.toMatchObject({
      code: "FILE_UNSAFE",
      message: expect.stringContaining("writable by its group"),
      details: { directory: dir, mode: "0770", reason: "directory" },
    });
  });
});
