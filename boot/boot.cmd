# Tessera's U-Boot boot script. `make image` turns it into build/riscv64/boot.scr
# (scripts/mkbootscr.sh: the two @...@ words replaced, then mkimage -A riscv -T script).
#
# U-Boot's distro boot finds boot.scr in / or /boot/ of a bootable partition, loads it to
# $scriptaddr and runs it with `source`, having set devtype, devnum, distro_bootpart and
# prefix to where it found it. The Image and the device tree are read from the same place.
# Addresses and the tree's name are the board's own U-Boot variables (kernel_addr_r,
# fdt_addr_r, fdtfile); where a board leaves one unset, VisionFive 2's values are used.

# U-Boot 2023.01 refuses a script with an apostrophe inside a double-quoted string (a
# "syntax error" that then crashes it), so the strings below have none.

# Where: the partition the script came from, else the first partition of mmc 0.
if test -z "${devtype}"; then setenv devtype mmc; fi
if test -z "${devnum}"; then setenv devnum 0; fi
if test -z "${distro_bootpart}"; then setenv distro_bootpart 1; fi
if test -z "${prefix}"; then setenv prefix /; fi
# What goes where: VisionFive 2's RAM starts at 0x40000000 and OpenSBI holds its first 2 MiB.
if test -z "${kernel_addr_r}"; then setenv kernel_addr_r 0x40200000; fi
if test -z "${fdt_addr_r}"; then setenv fdt_addr_r 0x46000000; fi
# The tree file: the board names it (fdtfile); make image FDTFILE=... names one for a U-Boot
# that does not.
if test -z "${fdtfile}"; then setenv fdtfile '@FDTFILE@'; fi

setenv bootargs '@BOOTARGS@'
echo "Tessera: ${prefix}Image from ${devtype} ${devnum}:${distro_bootpart} to ${kernel_addr_r}"
# The board's tree: in dtbs/ (where Debian's flash-kernel and most images put it) or beside
# the Image. Without one on the card, the tree U-Boot itself runs on: QEMU passes its own to
# U-Boot, and on a board it is the one U-Boot was built with.
setenv tessera_fdt
if load ${devtype} ${devnum}:${distro_bootpart} ${kernel_addr_r} ${prefix}Image; then
	if test -n "${fdtfile}"; then
		if load ${devtype} ${devnum}:${distro_bootpart} ${fdt_addr_r} ${prefix}dtbs/${fdtfile}; then
			setenv tessera_fdt ${fdt_addr_r}
		elif load ${devtype} ${devnum}:${distro_bootpart} ${fdt_addr_r} ${prefix}${fdtfile}; then
			setenv tessera_fdt ${fdt_addr_r}
		fi
	fi
	if test -z "${tessera_fdt}"; then
		echo "Tessera: no device tree file on the card, fdtfile=${fdtfile}: using the tree of U-Boot at ${fdtcontroladdr}"
		setenv tessera_fdt ${fdtcontroladdr}
	else
		echo "Tessera: device tree ${fdtfile} at ${tessera_fdt}"
	fi
	booti ${kernel_addr_r} - ${tessera_fdt}
	echo "Tessera: booti failed"
else
	echo "Tessera: no ${prefix}Image on ${devtype} ${devnum}:${distro_bootpart}"
fi
