#version 330 core
// Full-screen triangle without vertex buffers: gl_VertexID 0,1,2 cover the render target.
void main() {
    vec2 p = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));
    gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0);
}
