// SPDX-License-Identifier: MIT
/*
 * `lspci [-v]`: the functions pci_init() found, in the format of pciutils' `lspci -nn`:
 *
 *	00:03.0 Unclassified device [00ff]: Red Hat, Inc. Virtio RNG [1af4:1005]
 *
 * and with -v, as `lspci -v` prints them: subsystem, flags, BARs, capabilities (from the
 * device, through the hardened walkers) and the bound driver. Names come from a small table
 * of what QEMU's machines carry; others print as "Device [vvvv:dddd]", as lspci does
 * without its name database. As lspci, the revision is printed when it is not 0 and the
 * domain when it is not 0.
 *
 * Locking: reads the constant device list and live configuration space. Boot CPU (shell).
 */
#include "drivers/pci/internal.h"
#include "kernel/shell.h"
#include "kernel/printk.h"
#include "kernel/lib/string.h"

struct pci_class_name {
	u16 class;			/* base class << 8 | subclass */
	const char *name;
};

/* The subclass names of the PCI ID repository (pci.ids), for the classes QEMU shows. */
static const struct pci_class_name class_names[] = {
	{ 0x0000, "Non-VGA unclassified device" }, { 0x0001, "VGA compatible unclassified device" },
	{ 0x0100, "SCSI storage controller" }, { 0x0101, "IDE interface" },
	{ 0x0105, "ATA controller" }, { 0x0106, "SATA controller" },
	{ 0x0108, "Non-Volatile memory controller" }, { 0x0180, "Mass storage controller" },
	{ 0x0200, "Ethernet controller" }, { 0x0280, "Network controller" },
	{ 0x0300, "VGA compatible controller" }, { 0x0380, "Display controller" },
	{ 0x0401, "Multimedia audio controller" }, { 0x0403, "Audio device" },
	{ 0x0500, "RAM memory" }, { 0x0580, "Memory controller" },
	{ 0x0600, "Host bridge" }, { 0x0601, "ISA bridge" }, { 0x0604, "PCI bridge" },
	{ 0x0680, "Bridge" }, { 0x0700, "Serial controller" },
	{ 0x0780, "Communication controller" }, { 0x0880, "System peripheral" },
	{ 0x0900, "Keyboard controller" }, { 0x0c03, "USB controller" },
	{ 0x0c05, "SMBus" }, { 0x00ff, "Unclassified device" }, { 0xff00, "Unassigned class" },
};

static const struct {
	u16 vendor;
	const char *name;
} vendor_names[] = {
	{ 0x8086, "Intel Corporation" }, { 0x1af4, "Red Hat, Inc." },
	{ 0x1b36, "Red Hat, Inc." }, { 0x1234, "Device" /* QEMU's "Bochs" VGA id */ },
};

static const struct {
	u16 vendor, device;
	const char *name;
} device_names[] = {
	{ 0x8086, 0x1237, "440FX - 82441FX PMC [Natoma]" },
	{ 0x8086, 0x7000, "82371SB PIIX3 ISA [Natoma/Triton II]" },
	{ 0x8086, 0x7010, "82371SB PIIX3 IDE [Natoma/Triton II]" },
	{ 0x8086, 0x7113, "82371AB/EB/MB PIIX4 ACPI" },
	{ 0x8086, 0x100e, "82540EM Gigabit Ethernet Controller" },
	{ 0x8086, 0x29c0, "82G33/G31/P35/P31 Express DRAM Controller" },
	{ 0x8086, 0x2918, "82801IB (ICH9) LPC Interface Controller" },
	{ 0x8086, 0x2922, "82801IR/IO/IH (ICH9R/DO/DH) 6 port SATA Controller [AHCI mode]" },
	{ 0x8086, 0x2930, "82801I (ICH9 Family) SMBus Controller" },
	{ 0x8086, 0x10d3, "82574L Gigabit Network Connection" },
	{ 0x1b36, 0x0008, "QEMU PCIe Host bridge" },
	{ 0x1b36, 0x000c, "QEMU PCIe Root port" },
	{ 0x1af4, 0x1000, "Virtio network device" }, { 0x1af4, 0x1001, "Virtio block device" },
	{ 0x1af4, 0x1002, "Virtio memory balloon" }, { 0x1af4, 0x1003, "Virtio console" },
	{ 0x1af4, 0x1004, "Virtio SCSI" }, { 0x1af4, 0x1005, "Virtio RNG" },
	{ 0x1af4, 0x1041, "Virtio 1.0 network device" },
	{ 0x1af4, 0x1042, "Virtio 1.0 block device" },
	{ 0x1af4, 0x1043, "Virtio 1.0 console" },
	{ 0x1af4, 0x1044, "Virtio 1.0 RNG" },
	{ 0x1af4, 0x1045, "Virtio 1.0 balloon" },
	{ 0x1af4, 0x1100, "QEMU Virtual Machine" },
};

static const char *class_name(u32 class)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(class_names); i++)
		if (class_names[i].class == class >> 8)
			return class_names[i].name;
	return NULL;
}

/* "Red Hat, Inc. Virtio RNG [1af4:1005]", "Intel Corporation Device [8086:1234]". */
static void print_ids(u16 vendor, u16 device)
{
	const char *v = NULL, *d = NULL;

	for (unsigned int i = 0; i < ARRAY_SIZE(vendor_names); i++)
		if (vendor_names[i].vendor == vendor)
			v = vendor_names[i].name;
	for (unsigned int i = 0; i < ARRAY_SIZE(device_names); i++)
		if (device_names[i].vendor == vendor && device_names[i].device == device)
			d = device_names[i].name;
	if (v && strcmp(v, "Device") != 0)
		printk(KERN_CONT "%s %s [%04x:%04x]", v, d ? d : "Device", vendor, device);
	else
		printk(KERN_CONT "Device [%04x:%04x]", vendor, device);
}

static void print_size(u64 size)
{
	char buf[24];

	if (size)
		printk(KERN_CONT " [size=%s]", pci_size_str(size, buf, sizeof(buf)));
}

static void show_bars(const struct pci_dev *dev, u16 cmd)
{
	for (unsigned int i = 0; i < dev->nr_bars; i++) {
		const struct pci_bar *b = &dev->bar[i];

		if (!b->size)
			continue;
		bool on = b->flags & PCI_BAR_IO ? cmd & PCI_COMMAND_IO : cmd & PCI_COMMAND_MEMORY;

		if (b->flags & PCI_BAR_IO) {
			if (b->flags & PCI_BAR_ASSIGNED)
				printk("\tI/O ports at %llx", (unsigned long long)b->bus_addr);
			else
				printk("\tI/O ports at <unassigned>");
		} else {
			if (b->flags & PCI_BAR_ASSIGNED)
				printk("\tMemory at %llx", (unsigned long long)b->bus_addr);
			else
				printk("\tMemory at <unassigned>");
			printk(KERN_CONT " (%s, %sprefetchable)",
			       b->flags & PCI_BAR_64 ? "64-bit" : "32-bit",
			       b->flags & PCI_BAR_PREFETCH ? "" : "non-");
		}
		if (!on)
			printk(KERN_CONT " [disabled]");
		print_size(b->size);
		printk(KERN_CONT "\n");
	}
}

/* A bridge's windows as lspci -v prints them ("Memory behind bridge: ..."). */
static void show_bridge(const struct pci_dev *br)
{
	u8 io_b = pci_read_config8(br, PCI_IO_BASE), io_l = pci_read_config8(br, PCI_IO_LIMIT);
	u64 b, l;

	printk("\tBus: primary=%02x, secondary=%02x, subordinate=%02x, sec-latency=%u\n",
	       pci_read_config8(br, PCI_PRIMARY_BUS), pci_read_config8(br, PCI_SECONDARY_BUS),
	       pci_read_config8(br, PCI_SUBORDINATE_BUS),
	       pci_read_config8(br, PCI_SEC_LATENCY_TIMER));
	b = (u64)(io_b & 0xf0) << 8;
	l = ((u64)(io_l & 0xf0) << 8) | 0xfff;
	if ((io_b & PCI_IO_RANGE_TYPE_MASK) == PCI_IO_RANGE_TYPE_32) {
		b |= (u64)pci_read_config16(br, PCI_IO_BASE_UPPER16) << 16;
		l |= (u64)pci_read_config16(br, PCI_IO_LIMIT_UPPER16) << 16;
	}
	if (b <= l)
		printk("\tI/O behind bridge: %llx-%llx [size=%lluK]\n", (unsigned long long)b,
		       (unsigned long long)l, (unsigned long long)((l - b + 1) >> 10));
	b = (u64)(pci_read_config16(br, PCI_MEMORY_BASE) & 0xfff0) << 16;
	l = ((u64)(pci_read_config16(br, PCI_MEMORY_LIMIT) & 0xfff0) << 16) | 0xfffff;
	if (b <= l)
		printk("\tMemory behind bridge: %llx-%llx [size=%lluM]\n", (unsigned long long)b,
		       (unsigned long long)l, (unsigned long long)((l - b + 1) >> 20));
	u16 pb = pci_read_config16(br, PCI_PREF_MEMORY_BASE);

	b = (u64)(pb & 0xfff0) << 16;
	l = ((u64)(pci_read_config16(br, PCI_PREF_MEMORY_LIMIT) & 0xfff0) << 16) | 0xfffff;
	if ((pb & PCI_PREF_RANGE_TYPE_MASK) == PCI_PREF_RANGE_TYPE_64) {
		b |= (u64)pci_read_config32(br, PCI_PREF_BASE_UPPER32) << 32;
		l |= (u64)pci_read_config32(br, PCI_PREF_LIMIT_UPPER32) << 32;
	}
	if (b <= l)
		printk("\tPrefetchable memory behind bridge: %llx-%llx [size=%lluM]\n",
		       (unsigned long long)b, (unsigned long long)l,
		       (unsigned long long)((l - b + 1) >> 20));
}

static const char *const virtio_cfg_names[] = {
	[1] = "CommonCfg", [2] = "Notify", [3] = "ISR", [4] = "DeviceCfg", [5] = "PCICfg",
	[8] = "SharedMemory", [9] = "Vendor",
};

static const char *const exp_types[16] = {
	[0] = "Endpoint", [1] = "Legacy Endpoint", [4] = "Root Port", [5] = "Upstream Port",
	[6] = "Downstream Port", [7] = "PCI-Express to PCI/PCI-X Bridge",
	[8] = "PCI/PCI-X to PCI-Express Bridge", [9] = "Root Complex Integrated Endpoint",
	[10] = "Root Complex Event Collector",
};

static char sign(bool b)
{
	return b ? '+' : '-';
}

static void show_cap(const struct pci_dev *dev, u8 pos)
{
	u8 id = pci_read_config8(dev, pos + PCI_CAP_LIST_ID);
	u16 flags = pci_read_config16(dev, pos + 2);

	printk("\tCapabilities: [%02x] ", pos);
	switch (id) {
	case PCI_CAP_ID_PM:
		printk(KERN_CONT "Power Management version %u\n", flags & 7);
		break;
	case PCI_CAP_ID_MSI:
		printk(KERN_CONT "MSI: Enable%c Count=%u/%u Maskable%c 64bit%c\n",
		       sign(flags & PCI_MSI_FLAGS_ENABLE),
		       1u << ((flags & PCI_MSI_FLAGS_QSIZE) >> 4),
		       1u << ((flags & PCI_MSI_FLAGS_QMASK) >> 1),
		       sign(flags & PCI_MSI_FLAGS_MASKBIT), sign(flags & PCI_MSI_FLAGS_64BIT));
		break;
	case PCI_CAP_ID_MSIX:
		printk(KERN_CONT "MSI-X: Enable%c Count=%u Masked%c\n",
		       sign(flags & PCI_MSIX_FLAGS_ENABLE), (flags & PCI_MSIX_FLAGS_QSIZE) + 1,
		       sign(flags & PCI_MSIX_FLAGS_MASKALL));
		break;
	case PCI_CAP_ID_VNDR:
		/* virtio 1.x 4.1.4: cap_vndr, cap_next, cap_len, cfg_type. */
		if (dev->vendor == 0x1af4) {
			u8 type = pci_read_config8(dev, pos + 3);
			const char *n = type < ARRAY_SIZE(virtio_cfg_names) ?
					virtio_cfg_names[type] : NULL;

			printk(KERN_CONT "Vendor Specific Information: VirtIO: %s\n",
			       n ? n : "<unknown>");
		} else {
			printk(KERN_CONT "Vendor Specific Information: Len=%02x <?>\n",
			       pci_read_config8(dev, pos + 2));
		}
		break;
	case PCI_CAP_ID_SSVID:
		printk(KERN_CONT "Subsystem: ");
		print_ids(pci_read_config16(dev, pos + 4), pci_read_config16(dev, pos + 6));
		printk(KERN_CONT "\n");
		break;
	case PCI_CAP_ID_EXP: {
		unsigned int type = (flags & PCI_EXP_FLAGS_TYPE) >> 4;

		printk(KERN_CONT "Express (v%u) %s", flags & PCI_EXP_FLAGS_VERS,
		       exp_types[type] ? exp_types[type] : "Unknown type");
		if (type == 4 || type == 6)
			printk(KERN_CONT " (Slot%c)", sign(flags & PCI_EXP_FLAGS_SLOT));
		printk(KERN_CONT ", MSI %02x\n", (flags & PCI_EXP_FLAGS_IRQ) >> 9);
		break;
	}
	case PCI_CAP_ID_SATA:
		printk(KERN_CONT "SATA HBA v%u.%u\n", (flags >> 4) & 0xf, flags & 0xf);
		break;
	case PCI_CAP_ID_AF:
		printk(KERN_CONT "PCI Advanced Features\n");
		break;
	default:
		printk(KERN_CONT "Capability ID %#x\n", id);
		break;
	}
}

static const char *ext_cap_name(u16 id)
{
	switch (id) {
	case PCI_EXT_CAP_ID_ERR:	return "Advanced Error Reporting";
	case PCI_EXT_CAP_ID_VC:		return "Virtual Channel";
	case PCI_EXT_CAP_ID_DSN:	return "Device Serial Number";
	case PCI_EXT_CAP_ID_VNDR:	return "Vendor Specific Information";
	case PCI_EXT_CAP_ID_ACS:	return "Access Control Services";
	case PCI_EXT_CAP_ID_ARI:	return "Alternative Routing-ID Interpretation (ARI)";
	case PCI_EXT_CAP_ID_SRIOV:	return "Single Root I/O Virtualization (SR-IOV)";
	default:			return NULL;
	}
}

static void show_caps(const struct pci_dev *dev)
{
	struct pci_cfg_view v;
	struct pci_cap_iter it;

	pci_dev_cfg_view(dev, &v);
	pci_cap_iter_init(&it);
	while (pci_cap_next(&v, &it))
		show_cap(dev, (u8)it.pos);
	if (it.broken)
		printk("\tCapabilities: <chain broken: pointer %#x %s>\n", it.bad_pos, it.why);
	pci_cap_iter_init(&it);
	while (pci_ext_cap_next(&v, &it)) {
		u32 hdr = pci_read_config32(dev, it.pos);
		const char *n = ext_cap_name(PCI_EXT_CAP_ID(hdr));

		if (n)
			printk("\tCapabilities: [%03x] %s\n", it.pos, n);
		else
			printk("\tCapabilities: [%03x] Extended Capability ID %#x\n", it.pos,
			       PCI_EXT_CAP_ID(hdr));
	}
	if (it.broken)
		printk("\tCapabilities: <extended chain broken: pointer %#x %s>\n", it.bad_pos,
		       it.why);
}

void lspci_show_dev(const struct pci_dev *dev, bool verbose)
{
	const char *cn = class_name(dev->class);
	char bdf[16];

	/* lspci shows the domain only when there is more than domain 0. */
	if (dev->segment)
		snprintf(bdf, sizeof(bdf), "%04x:%02x:%02x.%u", dev->segment, dev->bus,
			 PCI_SLOT(dev->devfn), PCI_FUNC(dev->devfn));
	else
		snprintf(bdf, sizeof(bdf), "%02x:%02x.%u", dev->bus, PCI_SLOT(dev->devfn),
			 PCI_FUNC(dev->devfn));
	printk("%s ", bdf);
	if (cn)
		printk(KERN_CONT "%s [%04x]: ", cn, dev->class >> 8);
	else
		printk(KERN_CONT "Class [%04x]: ", dev->class >> 8);
	print_ids(dev->vendor, dev->device);
	if (dev->revision)
		printk(KERN_CONT " (rev %02x)", dev->revision);
	if (verbose && (dev->class & 0xff))
		printk(KERN_CONT " (prog-if %02x)", dev->class & 0xff);
	printk(KERN_CONT "\n");
	if (!verbose)
		return;
	if (dev->subsystem_vendor && dev->subsystem_vendor != 0xffff) {
		printk("\tSubsystem: ");
		print_ids(dev->subsystem_vendor, dev->subsystem_device);
		printk(KERN_CONT "\n");
	}
	u16 cmd = pci_read_config16(dev, PCI_COMMAND);
	u16 status = pci_read_config16(dev, PCI_STATUS);
	static const char *const devsel[] = { "fast", "medium", "slow", "??" };

	printk("\tFlags: %s%s devsel, latency %u", cmd & PCI_COMMAND_MASTER ? "bus master, " : "",
	       devsel[(status & PCI_STATUS_DEVSEL_MASK) >> 9],
	       pci_read_config8(dev, PCI_LATENCY_TIMER));
	/*
	 * The kernel irq a driver bound (INTx, or MSI-X entry 0's), as `interrupts` numbers
	 * it; else the line the firmware routed (x86); 0 or 0xff: not routed (yet).
	 */
	if (READ_ONCE(dev->irq))
		printk(KERN_CONT ", IRQ %u", READ_ONCE(dev->irq));
	else if (dev->irq_pin && dev->irq_line && dev->irq_line != 0xff)
		printk(KERN_CONT ", IRQ %u", dev->irq_line);
	printk(KERN_CONT "\n");
	show_bars(dev, cmd);
	if (dev->hdr_type == PCI_HEADER_TYPE_BRIDGE)
		show_bridge(dev);
	show_caps(dev);
	if (dev->disabled)
		printk("\tLeft disabled by the kernel (see the boot log)\n");
	if (dev->driver)
		printk("\tKernel driver in use: %s\n", dev->driver->name);
	printk("\n");
}

static int cmd_lspci(int argc, char **argv)
{
	bool verbose = false;
	struct pci_dev *dev;
	unsigned int i;

	if (argc > 2)
		return SHELL_EUSAGE;
	if (argc == 2) {
		if (strcmp(argv[1], "-v") != 0)
			return SHELL_EUSAGE;
		verbose = true;
	}
	if (!pci_dev_count())
		printk("lspci: no PCI devices\n");
	for_each_pci_dev(dev, i)
		lspci_show_dev(dev, verbose);
	return 0;
}
SHELL_COMMAND_USAGE(lspci, "[-v]", "PCI devices, as lspci -nn [-v] prints them", cmd_lspci);
