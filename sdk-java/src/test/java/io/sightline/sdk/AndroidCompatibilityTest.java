package io.sightline.sdk;

import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads the constant pool of every class of the SDK: what a class refers to is there (classes, and the types in
 * field and method descriptors). Android has no java.desktop, no javax.*, no sun.* or com.sun.*, no
 * java.net.http, and the SDK must bring no library of its own.
 */
class AndroidCompatibilityTest {
    private static final List<String> FORBIDDEN = List.of("java/awt/", "java/beans/", "java/applet/", "javax/",
            "sun/", "com/sun/", "jdk/", "java/net/http/", "java/lang/management/", "java/rmi/", "java/lang/ProcessHandle",
            "java/lang/StackWalker", "java/lang/invoke/VarHandle");
    private static final List<String> ALLOWED_ROOTS = List.of("java/", "io/sightline/sdk/");

    @Test
    void the_sdk_classes_are_java_11_bytecode_and_refer_to_nothing_android_lacks() throws IOException {
        Path classes = Path.of(System.getProperty("sdk.classes", "target/classes"));
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
            files = walk.filter(p -> p.toString().endsWith(".class")).collect(Collectors.toList());
        }
        assertThat(files).as("the SDK's compiled classes under " + classes.toAbsolutePath()).hasSizeGreaterThan(10);

        Set<String> offending = new TreeSet<>();
        for (Path file : files) {
            ClassRefs refs = read(file);
            assertThat(refs.major).as(file + " class file version").isLessThanOrEqualTo(55);
            for (String type : refs.types) {
                boolean forbidden = FORBIDDEN.stream().anyMatch(type::startsWith);
                boolean foreign = ALLOWED_ROOTS.stream().noneMatch(type::startsWith);
                if (forbidden || foreign) {
                    offending.add(classes.relativize(file) + " -> " + type);
                }
            }
        }
        assertThat(offending).isEmpty();
    }

    @Test
    void the_scan_sees_a_forbidden_reference_when_there_is_one() throws IOException {
        // This test class refers to org.junit and java.nio.file.Path: the scan must see both.
        Path self = Path.of(System.getProperty("sdk.test.classes", "target/test-classes"),
                "io/sightline/sdk/AndroidCompatibilityTest.class");
        Set<String> types = read(self).types;
        assertThat(types).contains("org/junit/jupiter/api/Test", "java/nio/file/Path");
    }

    private static final class ClassRefs {
        int major;
        final Set<String> types = new TreeSet<>();
    }

    /**
     * The classes one class file refers to (JVMS 4.4): the names of its class constants, and every type written in
     * its descriptors and signatures (member types, annotations, generics), that is every {@code Lpkg/Name;} in a
     * UTF-8 constant that is not a string literal.
     */
    private static ClassRefs read(Path file) throws IOException {
        ClassRefs refs = new ClassRefs();
        try (InputStream raw = Files.newInputStream(file); DataInputStream in = new DataInputStream(raw)) {
            if (in.readInt() != 0xCAFEBABE) {
                throw new IOException(file + " is not a class file");
            }
            in.readUnsignedShort();
            refs.major = in.readUnsignedShort();
            int count = in.readUnsignedShort();
            String[] utf8 = new String[count];
            Set<Integer> classNames = new TreeSet<>();
            Set<Integer> literals = new TreeSet<>();
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8[i] = in.readUTF();
                    case 7 -> classNames.add(in.readUnsignedShort());
                    case 8 -> literals.add(in.readUnsignedShort());
                    case 16, 19, 20 -> in.readUnsignedShort(); // MethodType, Module, Package
                    case 3, 4 -> in.readInt();
                    case 5, 6 -> {
                        in.readLong();
                        i++; // a long or double takes two entries
                    }
                    case 9, 10, 11, 12, 17, 18 -> in.readInt(); // two shorts each
                    case 15 -> {
                        in.readUnsignedByte();
                        in.readUnsignedShort();
                    }
                    default -> throw new IOException(file + ": unknown constant pool tag " + tag);
                }
            }
            for (int i = 1; i < count; i++) {
                if (utf8[i] == null || literals.contains(i)) {
                    continue;
                }
                if (classNames.contains(i) && !utf8[i].startsWith("[")) {
                    refs.types.add(utf8[i]);
                }
                Matcher m = TYPE.matcher(utf8[i]);
                while (m.find()) {
                    refs.types.add(m.group(1));
                }
            }
        }
        return refs;
    }

    /** A class type in a descriptor or signature: {@code L}, a name with at least one package, then {@code ;} or {@code <}. */
    private static final Pattern TYPE = Pattern.compile("L([\\w$]+(?:/[\\w$]+)+)[;<]");
}
