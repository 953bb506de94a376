<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>Actions</name>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Start, pause or resume training</source>
        <translation>开始、暂停或恢复训练</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop training after this batch and write a checkpoint</source>
        <translation>在本批次结束后停止训练并写入检查点</translation>
    </message>
    <message>
        <source>Start new run</source>
        <translation>开始新的训练</translation>
    </message>
    <message>
        <source>Start a new run from the current settings (not from the last stop)</source>
        <translation>按当前设置开始新的训练（而不是从上次停止处继续）</translation>
    </message>
    <message>
        <source>Open image…</source>
        <translation>打开图像…</translation>
    </message>
    <message>
        <source>Open images to classify and probe</source>
        <translation>打开要分类和探查的图像</translation>
    </message>
    <message>
        <source>Paste image</source>
        <translation>粘贴图像</translation>
    </message>
    <message>
        <source>Classify the image (or image files) on the clipboard</source>
        <translation>对剪贴板中的图像（或图像文件）进行分类</translation>
    </message>
    <message>
        <source>Open dataset…</source>
        <translation>打开数据集…</translation>
    </message>
    <message>
        <source>Train on a folder of images (one sub-folder per class, or Kaggle&apos;s cat.0.jpg, dog.0.jpg, ... in one folder)</source>
        <translation>在一个图像文件夹上训练（每个类别一个子文件夹，或像 Kaggle 那样把 cat.0.jpg、dog.0.jpg… 放在同一个文件夹中）</translation>
    </message>
    <message>
        <source>Load weights…</source>
        <translation>加载权重…</translation>
    </message>
    <message>
        <source>Load a checkpoint of this app or a torchvision AlexNet .pth</source>
        <translation>加载本程序的检查点或 torchvision 的 AlexNet .pth 文件</translation>
    </message>
    <message>
        <source>torchvision ImageNet weights</source>
        <translation>torchvision ImageNet 权重</translation>
    </message>
    <message>
        <source>Download torchvision&apos;s ImageNet AlexNet weights (needs the network once)</source>
        <translation>下载 torchvision 在 ImageNet 上训练的 AlexNet 权重（仅首次需要联网）</translation>
    </message>
    <message>
        <source>Fresh untrained model</source>
        <translation>全新的未训练模型</translation>
    </message>
    <message>
        <source>Replace the model with a newly initialised one for the current settings</source>
        <translation>用按当前设置新初始化的模型替换现有模型</translation>
    </message>
    <message>
        <source>Save checkpoint…</source>
        <translation>保存检查点…</translation>
    </message>
    <message>
        <source>Save the current weights (and training state)</source>
        <translation>保存当前权重（以及训练状态）</translation>
    </message>
    <message>
        <source>Export kernels…</source>
        <translation>导出卷积核…</translation>
    </message>
    <message>
        <source>Export conv1&apos;s kernels as PNG, SVG or PDF</source>
        <translation>将 conv1 的卷积核导出为 PNG、SVG 或 PDF</translation>
    </message>
    <message>
        <source>Training settings…</source>
        <translation>训练设置…</translation>
    </message>
    <message>
        <source>Edit every value of the recipe</source>
        <translation>编辑配方的每一项取值</translation>
    </message>
    <message>
        <source>Export curves (PNG)…</source>
        <translation>导出曲线（PNG）…</translation>
    </message>
    <message>
        <source>Export curves (CSV)…</source>
        <translation>导出曲线（CSV）…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Restore default layout</source>
        <translation>恢复默认布局</translation>
    </message>
    <message>
        <source>About alexnet-gui</source>
        <translation>关于 alexnet-gui</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Show run folder</source>
        <translation>显示运行文件夹</translation>
    </message>
    <message>
        <source>Open the current run&apos;s folder in the file manager</source>
        <translation>在文件管理器中打开当前运行的文件夹</translation>
    </message>
    <message>
        <source>Open run…</source>
        <translation>打开运行…</translation>
    </message>
    <message>
        <source>Watch a run folder that another process trains into (alexnet-gui train --out DIR): its curves and conv1 kernels, live</source>
        <translation>跟踪另一个进程正在写入的运行文件夹（alexnet-gui train --out DIR）：实时显示其曲线和 conv1 卷积核</translation>
    </message>
    <message>
        <source>Add runs folder…</source>
        <translation>添加运行文件夹…</translation>
    </message>
    <message>
        <source>List the runs of another folder in the Runs panel</source>
        <translation>在“运行”面板中列出另一个文件夹中的运行</translation>
    </message>
    <message>
        <source>{title}: {seconds} s per arm chosen; press Start in the Experiments panel to run it</source>
        <translation>{title}：已选择每组 {seconds} 秒；在“实验”面板中按“开始”即可运行</translation>
    </message>
    <message>
        <source>an experiment is running: its choices are locked until it ends</source>
        <translation>有实验正在运行：在它结束前无法更改其选项</translation>
    </message>
    <message>
        <source>Choose the {name} experiment in the Experiments panel, with a budget that fits this machine</source>
        <translation>在“实验”面板中选择 {name} 实验，并使用适合本机的预算</translation>
    </message>
    <message>
        <source>Two towers: Figure 2 and conv1&apos;s kernels</source>
        <translation>双塔：图 2 与 conv1 的卷积核</translation>
    </message>
    <message>
        <source>The Architecture panel (Figure 2) and conv1&apos;s kernels per tower (Figure 3, with their colour selectivity)</source>
        <translation>“架构”面板（图 2）以及按塔分组的 conv1 卷积核（图 3，附颜色选择性）</translation>
    </message>
    <message>
        <source>Architecture (Figure 2)</source>
        <translation>架构（图 2）</translation>
    </message>
    <message>
        <source>The network as the paper draws it, live</source>
        <translation>按论文的画法实时绘制网络</translation>
    </message>
    <message>
        <source>LRN with the paper&apos;s constants</source>
        <translation>采用论文常数的 LRN</translation>
    </message>
    <message>
        <source>The LRN panel with k = {k}, n = {n}, α = {alpha}, β = {beta} on the current image</source>
        <translation>在当前图像上以 k = {k}、n = {n}、α = {alpha}、β = {beta} 打开 LRN 面板</translation>
    </message>
    <message>
        <source>Evaluation (Tables 1 and 2)</source>
        <translation>评估（表 1 和表 2）</translation>
    </message>
    <message>
        <source>The Evaluation view; with ImageNet weights the paper&apos;s tables beside it</source>
        <translation>评估视图；加载 ImageNet 权重时旁边附上论文的表格</translation>
    </message>
    <message>
        <source>Figure 4</source>
        <translation>图 4</translation>
    </message>
    <message>
        <source>Top-5 labels and nearest training images (the paper&apos;s Figure 4)</source>
        <translation>Top-5 标签和最近的训练图像（论文的图 4）</translation>
    </message>
    <message>
        <source>The paper&apos;s recipe (section 5)…</source>
        <translation>论文的配方（第 5 节）…</translation>
    </message>
    <message>
        <source>The paper recipe&apos;s settings, read-only: the update rule, the schedule</source>
        <translation>论文配方的设置（只读）：更新规则与学习率调度</translation>
    </message>
    <message>
        <source>Paper tour</source>
        <translation>论文导览</translation>
    </message>
    <message>
        <source>The paper, section by section, with what shows each</source>
        <translation>逐节浏览论文，并给出展示每一节的内容</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Recipe</source>
        <translation>配方</translation>
    </message>
    <message>
        <source>Training recipe ({names})</source>
        <translation>训练配方（{names}）</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Train</source>
        <translation>训练(&amp;T)</translation>
    </message>
    <message>
        <source>E&amp;xperiments</source>
        <translation>实验(&amp;X)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Pausing: the batch under way ends first</source>
        <translation>正在暂停：等待当前批次结束</translation>
    </message>
    <message>
        <source>Pause training after this batch</source>
        <translation>在本批次结束后暂停训练</translation>
    </message>
    <message>
        <source>Resume training</source>
        <translation>恢复训练</translation>
    </message>
    <message>
        <source>Wait: the run is starting or stopping</source>
        <translation>请稍候：训练正在启动或停止</translation>
    </message>
    <message>
        <source>The run&apos;s settings, read-only while it trains</source>
        <translation>本次运行的设置，训练期间只读</translation>
    </message>
</context>
<context>
    <name>ActivationsPanel</name>
    <message>
        <source>activation</source>
        <translation>激活值</translation>
    </message>
    <message>
        <source>activation, each map stretched (0 = its min, 1 = its max)</source>
        <translation>激活值，每张图各自拉伸（0 = 其最小值，1 = 其最大值）</translation>
    </message>
    <message>
        <source>Layer (the model&apos;s stable names)</source>
        <translation>层（模型中固定的层名）</translation>
    </message>
    <message>
        <source>shared colour scale</source>
        <translation>共用色标</translation>
    </message>
    <message>
        <source>One colour scale for all maps (compare channels), or each map stretched to its range</source>
        <translation>所有特征图共用一个色标（便于比较通道），或每张图拉伸到各自的范围</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>unit</source>
        <translation>单元</translation>
    </message>
    <message>
        <source>click a map to enlarge it (and to find its top patches)</source>
        <translation>点击一张特征图可将其放大（并查找它的 top 图像块）</translation>
    </message>
    <message>
        <source>input (what the network sees)</source>
        <translation>输入（网络所看到的）</translation>
    </message>
    <message>
        <source>Open or drop an image to see what every layer does with it.</source>
        <translation>打开或拖入一张图像，查看每一层如何处理它。</translation>
    </message>
    <message>
        <source>&lt;b&gt;{layer}&lt;/b&gt;: {units:,} units (a vector: one bar per unit) · min {low:.3g} · max {high:.3g} · mean {mean:.3g} · exactly zero {zero:.1f}%</source>
        <translation>&lt;b&gt;{layer}&lt;/b&gt;：{units:,} 个单元（向量：每个单元一根柱）· 最小 {low:.3g} · 最大 {high:.3g} · 均值 {mean:.3g} · 恰为零 {zero:.1f}%</translation>
    </message>
    <message>
        <source>a fully connected layer: one value per unit, no maps</source>
        <translation>全连接层：每个单元一个值，没有特征图</translation>
    </message>
    <message>
        <source>&lt;b&gt;{layer}&lt;/b&gt;: shape {shape} · min {low:.3g} · max {high:.3g} · mean {mean:.3g} · exactly zero {zero:.1f}%</source>
        <translation>&lt;b&gt;{layer}&lt;/b&gt;：形状 {shape} · 最小 {low:.3g} · 最大 {high:.3g} · 均值 {mean:.3g} · 恰为零 {zero:.1f}%</translation>
    </message>
    <message>
        <source>unit of {layer} (1 … {n:,})</source>
        <translation>{layer} 的单元（1 … {n:,}）</translation>
    </message>
    <message>
        <source>channel {n}</source>
        <translation>通道 {n}</translation>
    </message>
    <message>
        <source>all units</source>
        <translation>全部单元</translation>
    </message>
    <message>
        <source>{layer} {what}: {h}×{w}, range {low:.3g} … {high:.3g}</source>
        <translation>{layer} {what}：{h}×{w}，范围 {low:.3g} … {high:.3g}</translation>
    </message>
</context>
<context>
    <name>ArchitecturePanel</name>
    <message>
        <source>the share of this box&apos;s ReLU outputs that are exactly 0 for the current image (its sparsity), read from the image&apos;s probe: it changes with the image and, while training, after each validation</source>
        <translation>该方框中 ReLU 输出恰为 0 的比例（即稀疏度），取自当前图像的探查结果：它随图像而变，训练时每次验证后也会更新</translation>
    </message>
    <message>
        <source>input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>stride {s}</source>
        <translation>步幅 {s}</translation>
    </message>
    <message>
        <source>{n} classes</source>
        <translation>{n} 个类别</translation>
    </message>
    <message>
        <source>{n} units</source>
        <translation>{n} 个单元</translation>
    </message>
    <message>
        <source>in: dropout {p:g}</source>
        <translation>输入端：丢弃 {p:g}</translation>
    </message>
    <message>
        <source>pool {k}/{s}</source>
        <translation>池化 {k}/{s}</translation>
    </message>
    <message>
        <source>avg pool {k}/{s}</source>
        <translation>平均池化 {k}/{s}</translation>
    </message>
    <message>
        <source>dropout {p:g}</source>
        <translation>丢弃 {p:g}</translation>
    </message>
    <message>
        <source>zero {percent:.0f}%</source>
        <translation>零值 {percent:.0f}%</translation>
    </message>
    <message>
        <source>GPU {n}</source>
        <translation>GPU {n}</translation>
    </message>
    <message>
        <source>within a tower</source>
        <translation>塔内</translation>
    </message>
    <message>
        <source>across the towers</source>
        <translation>跨塔</translation>
    </message>
    <message>
        <source>connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>The network&apos;s layers appear here once a model is built or loaded.</source>
        <translation>构建或加载模型后，网络的各层会显示在这里。</translation>
    </message>
    <message>
        <source>The network could not be described: {error}</source>
        <translation>无法描述该网络：{error}</translation>
    </message>
    <message>
        <source>one tower</source>
        <translation>单塔</translation>
    </message>
    <message>
        <source>two towers</source>
        <translation>双塔</translation>
    </message>
    <message>
        <source>{n} towers</source>
        <translation>{n} 个塔</translation>
    </message>
    <message>
        <source>{model}, {towers}: {parameters:,} parameters · {neurons:,} neurons · {macs:.2f} G multiply-adds per image</source>
        <translation>{model}，{towers}：{parameters:,} 个参数 · {neurons:,} 个神经元 · 每张图像 {macs:.2f} G 次乘加</translation>
    </message>
    <message>
        <source>selected: {layer}</source>
        <translation>已选中：{layer}</translation>
    </message>
    <message>
        <source>unit {unit} of {layer} (red mark)</source>
        <translation>{layer} 的第 {unit} 个单元（红色标记）</translation>
    </message>
    <message>
        <source>hover a box for its figures; click it for its maps</source>
        <translation>悬停在方框上查看其数据；点击查看其特征图</translation>
    </message>
    <message>
        <source>(the paper says 224×224; conv1&apos;s arithmetic needs 227)</source>
        <translation>（论文写的是 224×224；按 conv1 的计算需要 227）</translation>
    </message>
    <message>
        <source>&lt;b&gt;input&lt;/b&gt;: {shape}</source>
        <translation>&lt;b&gt;输入&lt;/b&gt;：{shape}</translation>
    </message>
    <message>
        <source>GPU {n}&apos;s half: kernels {first}–{last} of {count}</source>
        <translation>GPU {n} 的一半：第 {first}–{last} 个卷积核，共 {count} 个</translation>
    </message>
    <message>
        <source>GPU {n}&apos;s half: units {first}–{last} of {count}</source>
        <translation>GPU {n} 的一半：第 {first}–{last} 个单元，共 {count} 个</translation>
    </message>
    <message>
        <source>{groups} groups: each kernel sees the {maps} maps of its own tower</source>
        <translation>{groups} 组：每个卷积核只看到本塔的 {maps} 张特征图</translation>
    </message>
    <message>
        <source>every kernel sees all {maps} maps of both towers (the towers exchange here)</source>
        <translation>每个卷积核都看到两个塔的全部 {maps} 张特征图（两塔在此交换信息）</translation>
    </message>
    <message>
        <source>every kernel sees all {maps} input maps</source>
        <translation>每个卷积核都看到全部 {maps} 张输入特征图</translation>
    </message>
    <message>
        <source>{count} kernels {kh}×{kw}×{depth}, stride {s}, padding {pad}; {reads}</source>
        <translation>{count} 个卷积核 {kh}×{kw}×{depth}，步幅 {s}，填充 {pad}；{reads}</translation>
    </message>
    <message>
        <source>(each half reads both towers)</source>
        <translation>（每一半都读取两个塔）</translation>
    </message>
    <message>
        <source>fully connected: {inputs:,} → {outputs:,}</source>
        <translation>全连接：{inputs:,} → {outputs:,}</translation>
    </message>
    <message>
        <source>output {shape}</source>
        <translation>输出 {shape}</translation>
    </message>
    <message>
        <source>parameters {params:,} · neurons {neurons:,} · multiply-adds {macs:,} per image</source>
        <translation>参数 {params:,} · 神经元 {neurons:,} · 每张图像乘加 {macs:,} 次</translation>
    </message>
    <message>
        <source>(the whole layer, both towers)</source>
        <translation>（整层，两个塔合计）</translation>
    </message>
    <message>
        <source>LRN (each tower its own maps)</source>
        <translation>LRN（每个塔只用自己的特征图）</translation>
    </message>
    <message>
        <source>LRN (across all maps)</source>
        <translation>LRN（跨全部特征图）</translation>
    </message>
    <message>
        <source>max-pool {k}×{k} stride {s} → {shape}</source>
        <translation>最大池化 {k}×{k} 步幅 {s} → {shape}</translation>
    </message>
    <message>
        <source>average-pool {k}×{k} stride {s} → {shape}</source>
        <translation>平均池化 {k}×{k} 步幅 {s} → {shape}</translation>
    </message>
    <message>
        <source>(overlapping)</source>
        <translation>（重叠）</translation>
    </message>
    <message>
        <source>dropout {p:g} on its input</source>
        <translation>对其输入丢弃 {p:g}</translation>
    </message>
    <message>
        <source>before: {what}</source>
        <translation>之前：{what}</translation>
    </message>
    <message>
        <source>then: {what}</source>
        <translation>之后：{what}</translation>
    </message>
    <message>
        <source>zero {percent:.1f}%: {tip}</source>
        <translation>零值 {percent:.1f}%：{tip}</translation>
    </message>
    <message>
        <source>(with an image shown: {tip})</source>
        <translation>（显示图像时：{tip}）</translation>
    </message>
    <message>
        <source>selected: unit {unit} (the red mark)</source>
        <translation>已选中：第 {unit} 个单元（红色标记）</translation>
    </message>
    <message>
        <source>click: show its activation maps for the current image</source>
        <translation>点击：显示它在当前图像上的激活图</translation>
    </message>
    <message>
        <source>click: show its values, one bar per unit, for the current image</source>
        <translation>点击：显示它在当前图像上的取值，每个单元一根柱</translation>
    </message>
</context>
<context>
    <name>CurvesPanel</name>
    <message>
        <source>Training loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <source>Error (%)</source>
        <translation>错误率（%）</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>per step</source>
        <translation>每步</translation>
    </message>
    <message>
        <source>smoothed</source>
        <translation>平滑后</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>train top-1 (smoothed)</source>
        <translation>训练 top-1（平滑后）</translation>
    </message>
    <message>
        <source>val top-1</source>
        <translation>验证 top-1</translation>
    </message>
    <message>
        <source>val top-5</source>
        <translation>验证 top-5</translation>
    </message>
    <message>
        <source>Per epoch, as d2l plots it</source>
        <translation>按轮显示，与 d2l 的画法相同</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮</translation>
    </message>
    <message>
        <source>train loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <source>train acc</source>
        <translation>训练准确率</translation>
    </message>
    <message>
        <source>test acc</source>
        <translation>测试准确率</translation>
    </message>
    <message>
        <source>published</source>
        <translation>公开结果</translation>
    </message>
    <message>
        <source>Press Start to train; curves appear here.</source>
        <translation>按“开始”进行训练；曲线会显示在这里。</translation>
    </message>
    <message>
        <source>Export PNG…</source>
        <translation>导出 PNG…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>{model} on {dataset} ({recipe})</source>
        <translation>{model}，数据集 {dataset}（{recipe}）</translation>
    </message>
    <message>
        <source>reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>Watching {name} from disk; hover the plots for the figures at a step.</source>
        <translation>正在从磁盘跟踪 {name}；悬停在图上可查看某一步的数据。</translation>
    </message>
    <message>
        <source>Training loss — {name}: {what}</source>
        <translation>训练损失 — {name}：{what}</translation>
    </message>
    <message>
        <source>{name} stopped at step {step:,}: Start continues it.</source>
        <translation>{name} 在第 {step:,} 步停止：按“开始”继续训练。</translation>
    </message>
    <message>
        <source>Training loss — {name} (stopped at step {step:,})</source>
        <translation>训练损失 — {name}（在第 {step:,} 步停止）</translation>
    </message>
    <message>
        <source>Hover the plots for the figures at a step.</source>
        <translation>悬停在图上可查看某一步的数据。</translation>
    </message>
    <message>
        <source>Training loss — {what}</source>
        <translation>训练损失 — {what}</translation>
    </message>
    <message>
        <source>lr → {lr:.0e}</source>
        <translation>lr → {lr:.0e}</translation>
    </message>
    <message>
        <source>published: {value:.2f} test accuracy</source>
        <translation>公开结果：测试准确率 {value:.2f}</translation>
    </message>
    <message>
        <source>step {step:,}/{total:,} · loss {loss:.4f} · lr {lr:.2e}</source>
        <translation>第 {step:,}/{total:,} 步 · 损失 {loss:.4f} · lr {lr:.2e}</translation>
    </message>
    <message>
        <source>no data yet</source>
        <translation>暂无数据</translation>
    </message>
    <message>
        <source>step {step:,.0f}: loss {loss:.4f} (smoothed {smoothed:.4f}), train error {error:.1f}%</source>
        <translation>第 {step:,.0f} 步：损失 {loss:.4f}（平滑后 {smoothed:.4f}），训练错误率 {error:.1f}%</translation>
    </message>
    <message>
        <source>validation @ {step:,.0f}: top-1 {top1:.2f}%, top-5 {top5:.2f}%, loss {loss:.4f}</source>
        <translation>验证 @ {step:,.0f}：top-1 {top1:.2f}%，top-5 {top5:.2f}%，损失 {loss:.4f}</translation>
    </message>
    <message>
        <source>lr drops at step {steps}</source>
        <translation>学习率在第 {steps} 步下降</translation>
    </message>
    <message>
        <source>Export curves as PNG</source>
        <translation>将曲线导出为 PNG</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>Export curves as CSV</source>
        <translation>将曲线导出为 CSV</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>could not write &apos;{path}&apos;: {error}</source>
        <translation>无法写入“{path}”：{error}</translation>
    </message>
    <message>
        <source>wrote {path}</source>
        <translation>已写入 {path}</translation>
    </message>
</context>
<context>
    <name>Data</name>
    <message>
        <source>CIFAR-10: 50,000 / 10,000 colour 32 px images, 10 classes (torchvision)</source>
        <translation>CIFAR-10：50,000 / 10,000 张 32 px 彩色图像，10 个类别（torchvision）</translation>
    </message>
    <message>
        <source>the real Fashion-MNIST: 60,000 / 10,000 grey 28 px images, 10 classes</source>
        <translation>真实的 Fashion-MNIST：60,000 / 10,000 张 28 px 灰度图像，10 个类别</translation>
    </message>
    <message>
        <source>your images: one sub-folder per class (train/ + val/ or a seeded split), or Kaggle&apos;s flat cat.0.jpg / dog.0.jpg folder</source>
        <extracomment>Kaggle&apos;s dogs-vs-cats names: ``&lt;class&gt;.&lt;anything&gt;.&lt;ext&gt;`` (``cat.0.jpg``, ``dog.12499.jpg``)</extracomment>
        <translation>你自己的图像：每个类别一个子文件夹（train/ + val/ 或按种子划分），或 Kaggle 那种平铺的 cat.0.jpg / dog.0.jpg 文件夹</translation>
    </message>
    <message>
        <source>the {count:,} {title} classes</source>
        <extracomment>The registry of data sets: CLI choices, the settings dialog and ``alexnet-gui list`` read it.</extracomment>
        <translation>{count:,} 个 {title} 类别</translation>
    </message>
    <message>
        <source>the 1,000 ImageNet classes</source>
        <translation>ImageNet 的 1,000 个类别</translation>
    </message>
    <message>
        <source>its {count:,} classes</source>
        <translation>它的 {count:,} 个类别</translation>
    </message>
    <message>
        <source>generated coloured shapes and oriented stripes, 8 classes, no files needed</source>
        <translation>生成的彩色形状和不同朝向的条纹，8 个类别，无需任何文件</translation>
    </message>
</context>
<context>
    <name>Devices</name>
    <message>
        <source>CPU ({threads} threads)</source>
        <translation>CPU（{threads} 个线程）</translation>
    </message>
</context>
<context>
    <name>Engine</name>
    <message>
        <source>could not write the kernel snapshot {path} ({why}); training goes on without it</source>
        <translation>无法写入卷积核快照 {path}（{why}）；训练将在没有快照的情况下继续</translation>
    </message>
    <message>
        <source>stopped at step {step}; checkpoint {path}</source>
        <translation>在第 {step} 步停止；检查点 {path}</translation>
    </message>
    <message>
        <source>stopped at step {step}; {error}</source>
        <translation>在第 {step} 步停止；{error}</translation>
    </message>
    <message>
        <source>stopped at step {step}</source>
        <translation>在第 {step} 步停止</translation>
    </message>
    <message>
        <source>{message}; {error}</source>
        <translation>{message}；{error}</translation>
    </message>
    <message>
        <source>loss diverged at step {step} (loss = {loss}); try a lower learning rate (now {lr:g}, e.g. {lower:g})</source>
        <translation>损失在第 {step} 步发散（损失 = {loss}）；请尝试更低的学习率（当前 {lr:g}，例如 {lower:g}）</translation>
    </message>
    <message>
        <source>{message}; the last good checkpoint is {path}</source>
        <translation>{message}；最后一个正常的检查点是 {path}</translation>
    </message>
    <message>
        <source>training failed at step {step}: {error}</source>
        <translation>训练在第 {step} 步失败：{error}</translation>
    </message>
    <message>
        <source>data error at step {step}: {error}</source>
        <translation>第 {step} 步出现数据错误：{error}</translation>
    </message>
    <message>
        <source>the GPU ran out of memory at batch size {batch}; try --batch-size {half} or a smaller input size</source>
        <translation>GPU 在批大小为 {batch} 时显存不足；请尝试 --batch-size {half} 或更小的输入尺寸</translation>
    </message>
    <message>
        <source>training on {data} (step {step:,})</source>
        <translation>正在 {data} 上训练（第 {step:,} 步）</translation>
    </message>
    <message>
        <source>trained here on {data} ({step:,} step)</source>
        <translation>在本机的 {data} 上训练（{step:,} 步）</translation>
    </message>
    <message>
        <source>trained here on {data} ({step:,} steps)</source>
        <translation>在本机的 {data} 上训练（{step:,} 步）</translation>
    </message>
    <message>
        <source>fresh, untrained (a run on {data} that took no step)</source>
        <translation>全新、未训练（一次在 {data} 上未走一步的运行）</translation>
    </message>
    <message>
        <source>the run folder&apos;s lock was left by {holder}, which ended without releasing it (killed or crashed); this run has taken it over</source>
        <translation>运行文件夹的锁由 {holder} 留下，该进程结束时未释放它（被终止或崩溃）；本次运行已接管该锁</translation>
    </message>
    <message>
        <source>cpu_bf16: this CPU does not compute bf16 (no AVX-512 or AMX); training in fp32</source>
        <translation>cpu_bf16：这台 CPU 不支持 bf16 计算（没有 AVX-512 或 AMX）；改用 fp32 训练</translation>
    </message>
    <message>
        <source>reached {steps} steps</source>
        <translation>已达到 {steps} 步</translation>
    </message>
    <message>
        <source>finished {epochs} epoch(s)</source>
        <translation>已完成 {epochs} 轮</translation>
    </message>
    <message>
        <source>used the {seconds:g} s time budget ({steps} steps)</source>
        <translation>已用完 {seconds:g} 秒的时间预算（{steps} 步）</translation>
    </message>
</context>
<context>
    <name>EngineWorker</name>
    <message>
        <source>could not run the network on this image: {error}</source>
        <extracomment>jobs that run against the live model at a batch boundary while a run trains (also while it is paused: the engine&apos;s control runs submitted work then too). Nothing the user asks of the model waits in silence for a run to end, which can be hours away: - a probe, an analysis of the image, the kernels, a save: a forward pass or less; training does not notice; - EVALUATE (the Evaluation panel) and ANALYSE_DATASET (Figure 4&apos;s grid and neighbours, Top patches, a data set&apos;s thumbnails) are passes over a data set: training waits at the batch boundary while one runs, the way it waits for its own validation pass. The user pressed the button to see the live weights&apos; figures now, and a pass reports its progress and stops between its own batches when asked (its panel&apos;s Stop / Cancel), so the run is never held without the user seeing why and being able to end it. Refusing them instead would make the user stop a run to look at it; pausing and looking is what Pause is for. Loading or building other weights (LOAD, UNTRAINED, WEIGHTS) and runs (TRAIN, EXPERIMENT) wait for the run.</extracomment>
        <translation>无法在这张图像上运行网络：{error}</translation>
    </message>
    <message>
        <source>no weights to evaluate: load some or build the untrained model</source>
        <translation>没有可评估的权重：请加载权重或构建未训练的模型</translation>
    </message>
    <message>
        <source>the validation split is empty</source>
        <translation>验证集为空</translation>
    </message>
    <message>
        <source>evaluation stopped</source>
        <translation>评估已停止</translation>
    </message>
    <message>
        <source>could not save &apos;{path}&apos;: {error}; the previous file, if any, is unchanged</source>
        <translation>无法保存“{path}”：{error}；原有文件（如果有）保持不变</translation>
    </message>
    <message>
        <source>the experiment was stopped before it started</source>
        <translation>实验在开始前就被停止了</translation>
    </message>
    <message>
        <source>could not load {spec}: {error}</source>
        <translation>无法加载 {spec}：{error}</translation>
    </message>
    <message>
        <source>loaded {weights}</source>
        <translation>已加载 {weights}</translation>
    </message>
    <message>
        <source>cannot build the model for these settings: {error}</source>
        <translation>无法按这些设置构建模型：{error}</translation>
    </message>
</context>
<context>
    <name>EvaluationPanel</name>
    <message>
        <source>&lt;b&gt;No evaluation yet.&lt;/b&gt; Press &lt;b&gt;Evaluate&lt;/b&gt; to run the current weights over the validation split: the confusion matrix, each class&apos;s accuracy and the most confidently wrong images appear here.</source>
        <translation>&lt;b&gt;尚未评估。&lt;/b&gt;按&lt;b&gt;评估&lt;/b&gt;用当前权重跑一遍验证集：混淆矩阵、每个类别的准确率以及置信度最高的错误图像会显示在这里。</translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>Run the current weights over the data set&apos;s validation split (on the worker)</source>
        <translation>用当前权重跑一遍数据集的验证集（在工作线程上）</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop the evaluation after its current batch</source>
        <translation>在当前批次结束后停止评估</translation>
    </message>
    <message>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Evaluate the first N validation images (all: the whole split)</source>
        <translation>只评估前 N 张验证图像（全部：整个验证集）</translation>
    </message>
    <message>
        <source>ten-crop</source>
        <translation>十块裁剪</translation>
    </message>
    <message>
        <source>The paper&apos;s test procedure: the softmax averaged over ten patches (ten times slower)</source>
        <translation>论文的测试方法：对十个图像块的 softmax 取平均（慢十倍）</translation>
    </message>
    <message>
        <source>images</source>
        <translation>图像数</translation>
    </message>
    <message>
        <source>true class</source>
        <translation>真实类别</translation>
    </message>
    <message>
        <source>predicted class</source>
        <translation>预测类别</translation>
    </message>
    <message>
        <source>Each row is a true class, coloured by the share of its images given each answer; the numbers are counts. Click a cell for its images.</source>
        <translation>每一行是一个真实类别，颜色表示该类图像被判为各个答案的比例；数字是计数。点击单元格查看其中的图像。</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>Each true class&apos;s share of correct answers (its row of the matrix); the dashed line is the overall top-1 accuracy</source>
        <translation>每个真实类别答对的比例（即矩阵中的该行）；虚线是整体的 top-1 准确率</translation>
    </message>
    <message>
        <source>The images the network got wrong with the most confidence: its answer and its probability; hover for the true class, click to make it the current image</source>
        <translation>网络以最高置信度判错的图像：显示其答案和概率；悬停查看真实类别，点击将其设为当前图像</translation>
    </message>
    <message>
        <source>Click an image to make it the current image</source>
        <translation>点击图像将其设为当前图像</translation>
    </message>
    <message>
        <source>Click a cell of the matrix to list its images.</source>
        <translation>点击矩阵中的单元格以列出其中的图像。</translation>
    </message>
    <message>
        <source>Wrong</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Cell</source>
        <translation>单元格</translation>
    </message>
    <message>
        <source>evaluating on {dataset}&apos;s validation split…</source>
        <translation>正在 {dataset} 的验证集上评估…</translation>
    </message>
    <message>
        <source>(the live weights, at the run&apos;s next batch boundary: training waits until it ends or is stopped)</source>
        <translation>（使用实时权重，在训练的下一个批次边界进行：训练会等待评估结束或被停止）</translation>
    </message>
    <message>
        <source>stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>(the figures below are the last evaluation&apos;s)</source>
        <translation>（下面的数字来自上一次评估）</translation>
    </message>
    <message>
        <source>evaluation stopped</source>
        <translation>评估已停止</translation>
    </message>
    <message>
        <source>no evaluation</source>
        <translation>没有评估结果</translation>
    </message>
    <message>
        <source>class {index}</source>
        <translation>类别 {index}</translation>
    </message>
    <message>
        <source>&lt;b&gt;untrained weights&lt;/b&gt;: chance is {chance:.1f} % top-1 error</source>
        <translation>&lt;b&gt;未训练的权重&lt;/b&gt;：随机猜测的 top-1 错误率为 {chance:.1f} %</translation>
    </message>
    <message>
        <source>centre crop</source>
        <translation>中心裁剪</translation>
    </message>
    <message>
        <source>the data set</source>
        <translation>该数据集</translation>
    </message>
    <message>
        <source>&lt;b&gt;{data}&lt;/b&gt; validation, {images:,} images (a subset), {crop}: top-1 error &lt;b&gt;{top1:.2f} %&lt;/b&gt;, top-5 error &lt;b&gt;{top5:.2f} %&lt;/b&gt;, loss {loss:.3f}</source>
        <translation>&lt;b&gt;{data}&lt;/b&gt; 验证，{images:,} 张图像（子集），{crop}：top-1 错误率 &lt;b&gt;{top1:.2f} %&lt;/b&gt;，top-5 错误率 &lt;b&gt;{top5:.2f} %&lt;/b&gt;，损失 {loss:.3f}</translation>
    </message>
    <message>
        <source>&lt;b&gt;{data}&lt;/b&gt; validation, {images:,} images, {crop}: top-1 error &lt;b&gt;{top1:.2f} %&lt;/b&gt;, top-5 error &lt;b&gt;{top5:.2f} %&lt;/b&gt;, loss {loss:.3f}</source>
        <translation>&lt;b&gt;{data}&lt;/b&gt; 验证，{images:,} 张图像，{crop}：top-1 错误率 &lt;b&gt;{top1:.2f} %&lt;/b&gt;，top-5 错误率 &lt;b&gt;{top5:.2f} %&lt;/b&gt;，损失 {loss:.3f}</translation>
    </message>
    <message>
        <source>Wrong ({count})</source>
        <translation>错误（{count}）</translation>
    </message>
    <message>
        <source>could not read the data set&apos;s images: {error}</source>
        <translation>无法读取数据集的图像：{error}</translation>
    </message>
    <message>
        <source>#{index}: a {true}, taken for a {predicted} ({confidence:.1f} %)</source>
        <translation>#{index}：一张 {true}，被当成了 {predicted}（{confidence:.1f} %）</translation>
    </message>
    <message>
        <source>right</source>
        <translation>正确</translation>
    </message>
    <message>
        <source>taken for {name}</source>
        <translation>被当成 {name}</translation>
    </message>
    <message>
        <source>(the {shown} most confident shown)</source>
        <translation>（显示置信度最高的 {shown} 张）</translation>
    </message>
    <message>
        <source>{count} image</source>
        <translation>{count} 张图像</translation>
    </message>
    <message>
        <source>{count} images</source>
        <translation>{count} 张图像</translation>
    </message>
    <message>
        <source>train</source>
        <translation>训练集</translation>
    </message>
    <message>
        <source>val</source>
        <translation>验证集</translation>
    </message>
</context>
<context>
    <name>Experiments</name>
    <message>
        <source>ReLU vs tanh (Figure 1)</source>
        <extracomment>the learning rates each arm of Figure 1 tries before its runs (a sweep of a quarter of the budget each)</extracomment>
        <translation>ReLU 与 tanh 对比（图 1）</translation>
    </message>
    <message>
        <source>the four-layer CIFAR-10 net of Figure 1 with ReLU against the same net with tanh, each at the learning rate its own short sweep finds fastest: steps and time to 25 % training error</source>
        <translation>图 1 中的四层 CIFAR-10 网络，使用 ReLU 与使用 tanh 的同一网络对比，各自采用其短时扫描找到的最快学习率：比较达到 25 % 训练错误率所需的步数和时间</translation>
    </message>
    <message>
        <source>ReLU</source>
        <translation>ReLU</translation>
    </message>
    <message>
        <source>tanh</source>
        <translation>tanh</translation>
    </message>
    <message>
        <source>a four-layer CNN with ReLUs reaches 25 % training error on CIFAR-10 six times faster than with tanh (Figure 1)</source>
        <translation>使用 ReLU 的四层 CNN 在 CIFAR-10 上达到 25 % 训练错误率的速度是使用 tanh 时的六倍（图 1）</translation>
    </message>
    <message>
        <source>Local response normalisation</source>
        <translation>局部响应归一化</translation>
    </message>
    <message>
        <source>the paper&apos;s network with and without LRN after conv1 and conv2</source>
        <translation>论文的网络在 conv1 和 conv2 之后使用与不使用 LRN 的对比</translation>
    </message>
    <message>
        <source>with LRN</source>
        <translation>使用 LRN</translation>
    </message>
    <message>
        <source>without LRN</source>
        <translation>不使用 LRN</translation>
    </message>
    <message>
        <source>response normalisation reduces top-1 and top-5 error by 1.4 % and 1.2 %</source>
        <translation>响应归一化使 top-1 和 top-5 错误率分别降低 1.4 % 和 1.2 %</translation>
    </message>
    <message>
        <source>Overlapping pooling</source>
        <translation>重叠池化</translation>
    </message>
    <message>
        <source>the paper&apos;s network with 3x3 stride-2 (overlapping) against 2x2 stride-2 pooling</source>
        <translation>论文的网络使用 3x3 步幅 2（重叠）池化与 2x2 步幅 2 池化的对比</translation>
    </message>
    <message>
        <source>3x3/2 pooling</source>
        <translation>3x3/2 池化</translation>
    </message>
    <message>
        <source>2x2/2 pooling</source>
        <translation>2x2/2 池化</translation>
    </message>
    <message>
        <source>overlapping pooling reduces top-1 and top-5 error by 0.4 % and 0.3 %</source>
        <translation>重叠池化使 top-1 和 top-5 错误率分别降低 0.4 % 和 0.3 %</translation>
    </message>
    <message>
        <source>Two towers vs one GPU</source>
        <translation>双塔与单 GPU 对比</translation>
    </message>
    <message>
        <source>the paper&apos;s two-tower network against its one-GPU net (half the kernels in conv1-conv4, no groups)</source>
        <translation>论文的双塔网络与其单 GPU 网络（conv1-conv4 的卷积核减半，不分组）的对比</translation>
    </message>
    <message>
        <source>two towers</source>
        <translation>双塔</translation>
    </message>
    <message>
        <source>one-GPU net</source>
        <translation>单 GPU 网络</translation>
    </message>
    <message>
        <source>the two-GPU net has 1.7 % lower top-1 and 1.2 % lower top-5 error than the one-GPU net with half the kernels</source>
        <translation>双 GPU 网络的 top-1 和 top-5 错误率比卷积核减半的单 GPU 网络分别低 1.7 % 和 1.2 %</translation>
    </message>
    <message>
        <source>Dropout</source>
        <translation>丢弃法（Dropout）</translation>
    </message>
    <message>
        <source>the paper&apos;s network with dropout 0.5 on fc6 and fc7 against none</source>
        <translation>论文的网络在 fc6 和 fc7 上使用 0.5 的丢弃率与不使用丢弃的对比</translation>
    </message>
    <message>
        <source>dropout 0.5</source>
        <translation>丢弃 0.5</translation>
    </message>
    <message>
        <source>no dropout</source>
        <translation>不丢弃</translation>
    </message>
    <message>
        <source>without dropout the network overfits substantially; dropout roughly doubles the iterations needed to converge</source>
        <translation>不使用丢弃法时网络严重过拟合；丢弃法使收敛所需的迭代次数大约翻倍</translation>
    </message>
    <message>
        <source>LRN on the four-layer CIFAR-10 net</source>
        <translation>四层 CIFAR-10 网络上的 LRN</translation>
    </message>
    <message>
        <source>the four-layer net of Figure 1 with and without the paper&apos;s LRN after relu1 and relu2</source>
        <translation>图 1 的四层网络在 relu1 和 relu2 之后使用与不使用论文的 LRN 的对比</translation>
    </message>
    <message>
        <source>on CIFAR-10 a four-layer CNN achieved a 13 % test error rate without normalisation and 11 % with it</source>
        <translation>在 CIFAR-10 上，四层 CNN 不使用归一化时测试错误率为 13 %，使用时为 11 %</translation>
    </message>
    <message>
        <source>PCA lighting</source>
        <translation>PCA 光照增强</translation>
    </message>
    <message>
        <source>the paper&apos;s network with PCA colour lighting (alpha ~ N(0, 0.1)) against none</source>
        <translation>论文的网络使用 PCA 颜色光照增强（alpha ~ N(0, 0.1)）与不使用的对比</translation>
    </message>
    <message>
        <source>PCA lighting 0.1</source>
        <translation>PCA 光照 0.1</translation>
    </message>
    <message>
        <source>no lighting</source>
        <translation>无光照增强</translation>
    </message>
    <message>
        <source>PCA lighting reduces the top-1 error rate by over 1 %</source>
        <translation>PCA 光照增强使 top-1 错误率降低 1 % 以上</translation>
    </message>
    <message>
        <source>Crops and flips</source>
        <translation>裁剪与翻转</translation>
    </message>
    <message>
        <source>the paper&apos;s network with random crops and horizontal flips against the central crop alone</source>
        <translation>论文的网络使用随机裁剪和水平翻转与仅用中心裁剪的对比</translation>
    </message>
    <message>
        <source>crops and flips</source>
        <translation>裁剪与翻转</translation>
    </message>
    <message>
        <source>no crops or flips</source>
        <translation>不裁剪也不翻转</translation>
    </message>
    <message>
        <source>without crops and flips the network suffers from substantial overfitting</source>
        <translation>不使用裁剪和翻转时网络会严重过拟合</translation>
    </message>
    <message>
        <source>Removing a middle conv layer</source>
        <translation>去掉一个中间卷积层</translation>
    </message>
    <message>
        <source>the paper&apos;s network against the same without conv3, without conv4 and without conv5</source>
        <translation>论文的网络与分别去掉 conv3、conv4、conv5 后的同一网络对比</translation>
    </message>
    <message>
        <source>all five conv layers</source>
        <translation>全部五个卷积层</translation>
    </message>
    <message>
        <source>without conv3</source>
        <translation>去掉 conv3</translation>
    </message>
    <message>
        <source>without conv4</source>
        <translation>去掉 conv4</translation>
    </message>
    <message>
        <source>without conv5</source>
        <translation>去掉 conv5</translation>
    </message>
    <message>
        <source>removing any of the middle convolutional layers results in a loss of about 2 % top-1</source>
        <translation>去掉任意一个中间卷积层都会使 top-1 错误率上升约 2 %</translation>
    </message>
    <message>
        <source>An ensemble of CNNs</source>
        <translation>CNN 集成</translation>
    </message>
    <message>
        <source>the averaged softmax of 5 networks trained from different seeds against each network alone</source>
        <translation>用不同种子训练的 5 个网络的平均 softmax 与每个网络单独使用的对比</translation>
    </message>
    <message>
        <source>5 CNNs</source>
        <translation>5 个 CNN</translation>
    </message>
    <message>
        <source>1 CNN</source>
        <translation>1 个 CNN</translation>
    </message>
    <message>
        <source>averaging the predictions of five similar CNNs gives 38.1 % top-1 / 16.4 % top-5 error against 40.7 % / 18.2 % for one (Table 2, ILSVRC-2012 validation)</source>
        <translation>对五个相似 CNN 的预测取平均，top-1 / top-5 错误率为 38.1 % / 16.4 %，而单个 CNN 为 40.7 % / 18.2 %（表 2，ILSVRC-2012 验证集）</translation>
    </message>
    <message>
        <source>CIFAR-10 (found on this machine): the paper&apos;s own small data set (Figure 1 and its LRN note), 32 px colour images, 10 classes</source>
        <extracomment>the training error a step reports is one batch&apos;s; the curves and the time to a target use the mean over this many step reports (20 batches of 128 = 2,560 images)</extracomment>
        <translation>CIFAR-10（在本机上找到）：论文自己使用的小数据集（图 1 及其 LRN 说明），32 px 彩色图像，10 个类别</translation>
    </message>
    <message>
        <source>Fashion-MNIST: CIFAR-10 is not on this machine and the real Fashion-MNIST is; 28 px grey images, 10 classes</source>
        <translation>Fashion-MNIST：本机上没有 CIFAR-10，但有真实的 Fashion-MNIST；28 px 灰度图像，10 个类别</translation>
    </message>
    <message>
        <source>the generated shapes: neither CIFAR-10 nor Fashion-MNIST is on this machine; 8 easy classes</source>
        <translation>生成的形状：本机上既没有 CIFAR-10 也没有 Fashion-MNIST；8 个简单类别</translation>
    </message>
    <message>
        <source>The paper&apos;s differences are for ImageNet (1,000 classes, 1.2 million 224 px images, about 90 epochs on two GPUs); these runs use a small data set with 10 or fewer classes for a short budget, so top-5 error is near zero, differences of a few tenths of a point are within the seed-to-seed spread, and only the direction can be compared, not the magnitude.</source>
        <translation>论文中的差异是在 ImageNet 上得到的（1,000 个类别、120 万张 224 px 图像，在两块 GPU 上训练约 90 轮）；这些运行使用类别不超过 10 个的小数据集和很短的预算，因此 top-5 错误率接近零，零点几个百分点的差异落在不同种子之间的波动范围内，只能比较方向，不能比较幅度。</translation>
    </message>
    <message>
        <source>not measured</source>
        <extracomment>below this many classes top-5 error says nothing (it is near zero for every arm) and is not reported</extracomment>
        <translation>未测量</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>yes (within 2x of the paper&apos;s)</source>
        <translation>是（在论文数值的 2 倍以内）</translation>
    </message>
    <message>
        <source>no (not within 2x of the paper&apos;s)</source>
        <translation>否（不在论文数值的 2 倍以内）</translation>
    </message>
    <message>
        <source>direction {direction}; magnitude {magnitude}</source>
        <translation>方向：{direction}；幅度：{magnitude}</translation>
    </message>
    <message>
        <source>top-1 {top1} points</source>
        <translation>top-1 {top1} 个百分点</translation>
    </message>
    <message>
        <source>vs {arm}: {top1}</source>
        <translation>对比 {arm}：{top1}</translation>
    </message>
    <message>
        <source>top-1 {top1} / top-5 {top5} points</source>
        <translation>top-1 {top1} / top-5 {top5} 个百分点</translation>
    </message>
    <message>
        <source>the paper&apos;s arm did not reach the target</source>
        <translation>论文的那一组没有达到目标</translation>
    </message>
    <message>
        <source>{other} took ≥ {ratio:.2f}× the steps of {paper}</source>
        <translation>{other} 用了 {paper} 的 ≥ {ratio:.2f}× 步数</translation>
    </message>
    <message>
        <source>{other} took {ratio:.2f}× the steps of {paper}</source>
        <translation>{other} 用了 {paper} 的 {ratio:.2f}× 步数</translation>
    </message>
    <message>
        <source>{measured} ({ratio:.2f}× the time)</source>
        <translation>{measured}（时间为 {ratio:.2f}×）</translation>
    </message>
    <message>
        <source>{ratio:g}× sooner to {target:.0f} % training error</source>
        <translation>达到 {target:.0f} % 训练错误率快 {ratio:g}×</translation>
    </message>
    <message>
        <source>gap {gap} points (val − train error, paper&apos;s arm minus other)</source>
        <translation>差距 {gap} 个百分点（验证 − 训练错误率，论文一组减另一组）</translation>
    </message>
    <message>
        <source>less overfitting (smaller val − train gap)</source>
        <translation>过拟合更少（验证 − 训练的差距更小）</translation>
    </message>
    <message>
        <source>{ratio:.2f}× the other arm&apos;s</source>
        <translation>另一组的 {ratio:.2f}×</translation>
    </message>
    <message>
        <source>{measured}; steps to converge {ratio}</source>
        <translation>{measured}；收敛所需步数：{ratio}</translation>
    </message>
    <message>
        <source>{paper}; about {ratio:g}× the iterations to converge</source>
        <translation>{paper}；收敛所需迭代次数约为 {ratio:g}×</translation>
    </message>
    <message>
        <source>{name}, the data set asked for</source>
        <translation>{name}，指定的数据集</translation>
    </message>
    <message>
        <source>{name}, the data set asked for ({description})</source>
        <translation>{name}，指定的数据集（{description}）</translation>
    </message>
</context>
<context>
    <name>ExperimentsPanel</name>
    <message>
        <source>arm</source>
        <translation>实验组</translation>
    </message>
    <message>
        <source>seeds</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>top-1 error %</source>
        <translation>top-1 错误率 %</translation>
    </message>
    <message>
        <source>top-5 error %</source>
        <translation>top-5 错误率 %</translation>
    </message>
    <message>
        <source>train error %</source>
        <translation>训练错误率 %</translation>
    </message>
    <message>
        <source>val − train %</source>
        <translation>验证 − 训练 %</translation>
    </message>
    <message>
        <source>steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>steps to target</source>
        <translation>达到目标的步数</translation>
    </message>
    <message>
        <source>give at least one seed (e.g. 0 or 0 1 2)</source>
        <translation>请至少给出一个种子（例如 0 或 0 1 2）</translation>
    </message>
    <message>
        <source>seeds must be whole numbers separated by spaces, got {text}</source>
        <translation>种子必须是用空格分隔的整数，收到的是 {text}</translation>
    </message>
    <message>
        <source>seeds must not be negative, and at most 20 of them</source>
        <translation>种子不能为负数，且最多 20 个</translation>
    </message>
    <message>
        <source>The experiment: one of the paper&apos;s claims, its arms trained one after another</source>
        <extracomment>extra config values every arm gets (the tests&apos; tiny widths); the experiment&apos;s own setting cannot be one</extracomment>
        <translation>实验：论文中的一个结论，其各实验组依次训练</translation>
    </message>
    <message>
        <source>auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>CIFAR-10 when present, else Fashion-MNIST, else the synthetic set</source>
        <translation>有 CIFAR-10 时用它，否则用 Fashion-MNIST，再否则用合成数据集</translation>
    </message>
    <message>
        <source>The data set every arm trains on</source>
        <translation>每个实验组训练所用的数据集</translation>
    </message>
    <message>
        <source>seconds per arm</source>
        <translation>每组秒数</translation>
    </message>
    <message>
        <source>steps per arm</source>
        <translation>每组步数</translation>
    </message>
    <message>
        <source>Every arm runs once per seed: e.g. 0 1 2</source>
        <translation>每个实验组对每个种子运行一次：例如 0 1 2</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>budget</source>
        <translation>预算</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>error</source>
        <translation>错误率</translation>
    </message>
    <message>
        <source>training error (last {n} batches), dots: validation</source>
        <translation>训练错误率（最近 {n} 个批次），圆点：验证</translation>
    </message>
    <message>
        <source> against </source>
        <translation> 对比 </translation>
    </message>
    <message>
        <source> &lt;b&gt;Needs colour data&lt;/b&gt; (cifar10 or synthetic): on grey Fashion-MNIST both arms would train alike, so it is refused there.</source>
        <translation> &lt;b&gt;需要彩色数据&lt;/b&gt;（cifar10 或 synthetic）：在灰度的 Fashion-MNIST 上两组会训练得完全一样，因此会被拒绝。</translation>
    </message>
    <message>
        <source>&lt;b&gt;{title}&lt;/b&gt;: {arms}. &lt;i&gt;The paper:&lt;/i&gt; {claim}.</source>
        <translation>&lt;b&gt;{title}&lt;/b&gt;：{arms}。&lt;i&gt;论文：&lt;/i&gt;{claim}。</translation>
    </message>
    <message>
        <source>experiments need the window&apos;s worker</source>
        <translation>实验需要窗口的工作线程</translation>
    </message>
    <message>
        <source>starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>stopping after this batch…</source>
        <translation>将在本批次结束后停止…</translation>
    </message>
    <message>
        <source>data: {note}</source>
        <translation>数据：{note}</translation>
    </message>
    <message>
        <source>run {index}/{total}: {arm}, seed {seed}</source>
        <translation>运行 {index}/{total}：{arm}，种子 {seed}</translation>
    </message>
    <message>
        <source>step {step} of {total}</source>
        <translation>第 {step} 步，共 {total} 步</translation>
    </message>
    <message>
        <source>step {step}</source>
        <translation>第 {step} 步</translation>
    </message>
    <message>
        <source>run {index}/{total}: {arm}, seed {seed}: {step}</source>
        <translation>运行 {index}/{total}：{arm}，种子 {seed}：{step}</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>(paused)</source>
        <translation>（已暂停）</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>stopped: the report covers what finished</source>
        <translation>已停止：报告只包含已完成的部分</translation>
    </message>
    <message>
        <source>{done}; runs and report (report.md, curves.png) in {folder}</source>
        <translation>{done}；运行记录和报告（report.md、curves.png）位于 {folder}</translation>
    </message>
    <message>
        <source>&lt;b&gt;measured:&lt;/b&gt; {measured}&lt;br&gt;&lt;b&gt;the paper:&lt;/b&gt; {paper}&lt;br&gt;&lt;b&gt;direction agrees:&lt;/b&gt; {verdict}&lt;br&gt;&lt;small&gt;{why}. {magnitudes}&lt;/small&gt;</source>
        <translation>&lt;b&gt;实测：&lt;/b&gt;{measured}&lt;br&gt;&lt;b&gt;论文：&lt;/b&gt;{paper}&lt;br&gt;&lt;b&gt;方向一致：&lt;/b&gt;{verdict}&lt;br&gt;&lt;small&gt;{why}。{magnitudes}&lt;/small&gt;</translation>
    </message>
</context>
<context>
    <name>ExplainPanel</name>
    <message>
        <source>Grad-CAM</source>
        <translation>Grad-CAM</translation>
    </message>
    <message>
        <source>Guided backprop</source>
        <translation>导向反向传播</translation>
    </message>
    <message>
        <source>Occlusion</source>
        <translation>遮挡</translation>
    </message>
    <message>
        <source>Grad-CAM (relative; 1 = the map&apos;s maximum)</source>
        <translation>Grad-CAM（相对值；1 = 该图的最大值）</translation>
    </message>
    <message>
        <source>|gradient| (relative; 1 = the maximum)</source>
        <translation>|梯度|（相对值；1 = 最大值）</translation>
    </message>
    <message>
        <source>drop in the class&apos;s p (relative; 1 = the largest)</source>
        <translation>该类别概率 p 的下降（相对值；1 = 最大下降）</translation>
    </message>
    <message>
        <source>Grad-CAM: the chosen layer&apos;s maps weighted by the class&apos;s gradient (Selvaraju et al. 2017). Guided backprop: the class&apos;s gradient at the input, negative gradients stopped at every ReLU (Springenberg et al. 2015). Occlusion: the drop in the class&apos;s probability as a grey square slides over the image (Zeiler &amp; Fergus 2014).</source>
        <translation>Grad-CAM：用该类别的梯度对所选层的特征图加权（Selvaraju 等，2017）。导向反向传播：该类别在输入处的梯度，负梯度在每个 ReLU 处被截断（Springenberg 等，2015）。遮挡：用灰色方块在图像上滑动时该类别概率的下降（Zeiler &amp; Fergus，2014）。</translation>
    </message>
    <message>
        <source>The class to explain: the top one, or any class of the weights</source>
        <translation>要解释的类别：概率最高的类别，或权重中的任意类别</translation>
    </message>
    <message>
        <source>Grad-CAM&apos;s layer (read after its ReLU)</source>
        <translation>Grad-CAM 使用的层（在其 ReLU 之后读取）</translation>
    </message>
    <message>
        <source>centre</source>
        <translation>中心</translation>
    </message>
    <message>
        <source>The crop explained: the centre one, or one of the paper&apos;s ten (0-4 corners and centre, 5-9 their mirror images)</source>
        <translation>要解释的裁剪：中心裁剪，或论文十块裁剪中的一块（0-4 为四角和中心，5-9 为它们的镜像）</translation>
    </message>
    <message>
        <source>Occlusion: the grey square&apos;s side (px)</source>
        <translation>遮挡：灰色方块的边长（px）</translation>
    </message>
    <message>
        <source>Occlusion: the square&apos;s step (px); each position is one forward pass</source>
        <translation>遮挡：方块每次移动的距离（px）；每个位置做一次前向传播</translation>
    </message>
    <message>
        <source>Explain</source>
        <translation>解释</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>class</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>crop</source>
        <translation>裁剪</translation>
    </message>
    <message>
        <source>patch</source>
        <translation>方块</translation>
    </message>
    <message>
        <source>stride</source>
        <translation>步幅</translation>
    </message>
    <message>
        <source>The map&apos;s opacity over the image</source>
        <translation>热力图叠加在图像上的不透明度</translation>
    </message>
    <message>
        <source>Open or drop an image, then choose a class: the map shows where the answer comes from.</source>
        <translation>打开或拖入一张图像，再选择一个类别：热力图会显示答案来自图像的哪些部分。</translation>
    </message>
    <message>
        <source>opacity</source>
        <translation>不透明度</translation>
    </message>
    <message>
        <source>occlusion: positions</source>
        <translation>遮挡：位置</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>could not explain: {error}</source>
        <translation>无法解释：{error}</translation>
    </message>
    <message>
        <source>the top class</source>
        <translation>概率最高的类别</translation>
    </message>
    <message>
        <source>A new image: press Explain to slide the grey square over it.</source>
        <translation>新图像：按“解释”让灰色方块在图像上滑过。</translation>
    </message>
    <message>
        <source>Grad-CAM at {layer}</source>
        <translation>{layer} 处的 Grad-CAM</translation>
    </message>
    <message>
        <source>guided backprop</source>
        <translation>导向反向传播</translation>
    </message>
    <message>
        <source>occlusion ({patch} px square every {stride} px)</source>
        <translation>遮挡（{patch} px 方块，每 {stride} px 一步）</translation>
    </message>
    <message>
        <source>&lt;b&gt;Untrained weights&lt;/b&gt;: the map is as random as the answer.</source>
        <translation>&lt;b&gt;未训练的权重&lt;/b&gt;：热力图和答案一样是随机的。</translation>
    </message>
    <message>
        <source>{method} for &lt;b&gt;{name}&lt;/b&gt; (p = {p:.1f} %), {crop} crop. This crop&apos;s top: {top}.</source>
        <translation>{method}，类别 &lt;b&gt;{name}&lt;/b&gt;（p = {p:.1f} %），裁剪：{crop}。该裁剪的前几名：{top}。</translation>
    </message>
</context>
<context>
    <name>Figure4Panel</name>
    <message>
        <source>Validation top-5 (left)</source>
        <translation>验证集 top-5（左）</translation>
    </message>
    <message>
        <source>Nearest neighbours (right)</source>
        <translation>最近邻（右）</translation>
    </message>
    <message>
        <source>Classify validation images</source>
        <translation>对验证图像分类</translation>
    </message>
    <message>
        <source>A fixed sample of the validation split, each with its top-5 (true class in red)</source>
        <translation>验证集中一组固定的样本，每张附上其 top-5（真实类别标红）</translation>
    </message>
    <message>
        <source>New sample</source>
        <translation>换一组样本</translation>
    </message>
    <message>
        <source>Draw other images (the next seed)</source>
        <translation>抽取另一组图像（下一个种子）</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>classifying {count} images of {dataset}&apos;s validation split…</source>
        <translation>正在对 {dataset} 验证集中的 {count} 张图像分类…</translation>
    </message>
    <message>
        <source>(the live weights, at the run&apos;s next batch boundary)</source>
        <translation>（使用实时权重，在训练的下一个批次边界进行）</translation>
    </message>
    <message>
        <source>untrained weights: these are not predictions</source>
        <translation>未训练的权重：这些不是预测</translation>
    </message>
    <message>
        <source>sample {seed}: {right} of {count} right, {top5} with the true class in the top {k}</source>
        <translation>样本 {seed}：{count} 张中答对 {right} 张，{top5} 张的真实类别位于前 {k} 名</translation>
    </message>
    <message>
        <source>Find neighbours</source>
        <translation>查找近邻</translation>
    </message>
    <message>
        <source>The images of the split nearest the current image by relu7 features, and by pixels</source>
        <translation>按 relu7 特征以及按像素，找出该数据划分中与当前图像最接近的图像</translation>
    </message>
    <message>
        <source>How many nearest images to show</source>
        <translation>要显示多少张最接近的图像</translation>
    </message>
    <message>
        <source>train</source>
        <translation>训练集</translation>
    </message>
    <message>
        <source>val</source>
        <translation>验证集</translation>
    </message>
    <message>
        <source>Search the training images (the paper&apos;s figure) or the validation images</source>
        <translation>在训练图像（论文图中的做法）或验证图像中搜索</translation>
    </message>
    <message>
        <source>all images</source>
        <translation>全部图像</translation>
    </message>
    <message>
        <source>first</source>
        <translation>前</translation>
    </message>
    <message>
        <source>images</source>
        <translation>张图像</translation>
    </message>
    <message>
        <source>Search the split&apos;s first N images (all: the whole split)</source>
        <translation>只搜索该数据划分的前 N 张图像（全部：整个划分）</translation>
    </message>
    <message>
        <source>in</source>
        <translation>在</translation>
    </message>
    <message>
        <source>The current image&apos;s nearest images: by the network&apos;s relu7 features (what it has learnt), and by pixels (what it sees). The feature index is built once per weights and data set (minutes on a CPU for a large set), then read from the cache.</source>
        <translation>与当前图像最接近的图像：按网络的 relu7 特征（它学到了什么）和按像素（它看到了什么）。特征索引对每组权重和数据集只构建一次（大数据集在 CPU 上需要数分钟），之后从缓存读取。</translation>
    </message>
    <message>
        <source>query</source>
        <translation>查询图像</translation>
    </message>
    <message>
        <source>&lt;b&gt;nearest by {layer} features&lt;/b&gt;</source>
        <translation>&lt;b&gt;按 {layer} 特征最近&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;nearest by pixels&lt;/b&gt; (16×16 per channel), for contrast</source>
        <translation>&lt;b&gt;按像素最近&lt;/b&gt;（每个通道 16×16），作为对照</translation>
    </message>
    <message>
        <source>Click a neighbour to make it the current image</source>
        <translation>点击一个近邻将其设为当前图像</translation>
    </message>
    <message>
        <source>open or drop an image first: its neighbours are searched</source>
        <translation>请先打开或拖入一张图像：搜索的是它的近邻</translation>
    </message>
    <message>
        <source>searching {dataset}&apos;s {split} images…</source>
        <translation>正在搜索 {dataset} 的{split}图像…</translation>
    </message>
    <message>
        <source>cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>{split} #{index}: {name}, distance {d:.4g}</source>
        <translation>{split} #{index}：{name}，距离 {d:.4g}</translation>
    </message>
    <message>
        <source>({shown} of {size:,} {split} images; Euclidean distance d)</source>
        <translation>（{size:,} 张{split}图像中的 {shown} 张；欧氏距离 d）</translation>
    </message>
    <message>
        <source>&lt;b&gt;untrained weights&lt;/b&gt;: the features are random projections</source>
        <translation>&lt;b&gt;未训练的权重&lt;/b&gt;：这些特征只是随机投影</translation>
    </message>
    <message>
        <source>{count} image in both rows</source>
        <translation>{count} 张图像同时出现在两行中</translation>
    </message>
    <message>
        <source>{count} images in both rows</source>
        <translation>{count} 张图像同时出现在两行中</translation>
    </message>
    <message>
        <source>could not open the neighbour: {error}</source>
        <translation>无法打开该近邻：{error}</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>cancelled: nothing was cached; Find neighbours starts again</source>
        <translation>已取消：没有缓存任何内容；按“查找近邻”会重新开始</translation>
    </message>
    <message>
        <source>building the relu7 index of {count:,} images (once for these weights and data; cached after)…</source>
        <translation>正在为 {count:,} 张图像构建 relu7 索引（这组权重和数据只需一次，之后会缓存）…</translation>
    </message>
</context>
<context>
    <name>FileDialogs</name>
    <message>
        <source>Images ({patterns});;All files (*)</source>
        <translation>图像 ({patterns});;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>GraphicsScene</name>
    <message>
        <source>Export...</source>
        <translation>导出...</translation>
    </message>
</context>
<context>
    <name>Help</name>
    <message>
        <source>About alexnet-gui</source>
        <translation>关于 alexnet-gui</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>&lt;p&gt;A desktop laboratory for Krizhevsky, Sutskever &amp;amp; Hinton (2012), &lt;i&gt;ImageNet Classification with Deep Convolutional Neural Networks&lt;/i&gt;: train the paper&apos;s network, watch it learn, and probe its ideas — the two GPU towers, local response normalisation, overlapping pooling, dropout, PCA colour augmentation and ten-crop testing.&lt;/p&gt;&lt;p&gt;The paper says 224×224 inputs; conv1&apos;s arithmetic (and Caffe&apos;s reference model) needs 227 for its 55×55 maps.&lt;/p&gt;</source>
        <translation>&lt;p&gt;一个面向 Krizhevsky、Sutskever 和 Hinton（2012）的论文 &lt;i&gt;ImageNet Classification with Deep Convolutional Neural Networks&lt;/i&gt; 的桌面实验室：训练论文中的网络，观察它如何学习，并检验其中的思想——双 GPU 塔、局部响应归一化、重叠池化、丢弃法（Dropout）、PCA 颜色增强和十块裁剪测试。&lt;/p&gt;&lt;p&gt;论文写的是 224×224 的输入；但按 conv1 的计算（以及 Caffe 的参考模型），要得到 55×55 的特征图需要 227。&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>JobRequest</name>
    <message>
        <source>waiting for the worker…</source>
        <translation>正在等待工作线程…</translation>
    </message>
    <message>
        <source>stopping…</source>
        <translation>正在停止…</translation>
    </message>
</context>
<context>
    <name>KernelsPanel</name>
    <message>
        <source>GPU {n}</source>
        <translation>GPU {n}</translation>
    </message>
    <message>
        <source>click to close</source>
        <translation>点击关闭</translation>
    </message>
    <message>
        <source>weight (each colour channel; grey = 0)</source>
        <translation>权重（每个颜色通道；灰色 = 0）</translation>
    </message>
    <message>
        <source>Hover a kernel for its index and figures; click one to enlarge it.</source>
        <translation>悬停在卷积核上查看其编号和数据；点击可将其放大。</translation>
    </message>
    <message>
        <source>one scale for all</source>
        <translation>统一色标</translation>
    </message>
    <message>
        <source>each kernel stretched</source>
        <translation>每个卷积核单独拉伸</translation>
    </message>
    <message>
        <source>change since run start</source>
        <translation>自运行开始以来的变化</translation>
    </message>
    <message>
        <source>Colour scale: one for all kernels (relative strengths, as in Figure 3), each kernel stretched to its own range (faint kernels readable), or what training has changed since the run started (early learning is small next to the random start)</source>
        <translation>色标：所有卷积核共用一个（看相对强弱，与图 3 相同）、每个卷积核拉伸到各自的范围（较弱的卷积核也看得清），或显示训练自运行开始以来改变了什么（早期的学习相对随机初始值很小）</translation>
    </message>
    <message>
        <source>scale</source>
        <translation>缩放</translation>
    </message>
    <message>
        <source>pixels per weight in the exported PNG/PDF/SVG</source>
        <translation>导出的 PNG/PDF/SVG 中每个权重占的像素数</translation>
    </message>
    <message>
        <source>+ raw .npy</source>
        <translation>+ 原始 .npy</translation>
    </message>
    <message>
        <source>also write the raw weights as a NumPy .npy file</source>
        <translation>同时把原始权重写成 NumPy 的 .npy 文件</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Δ weight since the run started (grey = no change)</source>
        <translation>自运行开始以来的权重变化 Δ（灰色 = 无变化）</translation>
    </message>
    <message>
        <source>weight ÷ its kernel&apos;s largest |weight| (grey = 0)</source>
        <translation>权重 ÷ 该卷积核最大的 |权重|（灰色 = 0）</translation>
    </message>
    <message>
        <source>&lt;b&gt;{name}&lt;/b&gt;: kernels {start}–{end}&lt;br&gt;mean colour selectivity &lt;b&gt;{selectivity:.2f}&lt;/b&gt;</source>
        <translation>&lt;b&gt;{name}&lt;/b&gt;：第 {start}–{end} 个卷积核&lt;br&gt;平均颜色选择性 &lt;b&gt;{selectivity:.2f}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>; {tower} is the more colour-specific tower (Δ {delta:.2f})</source>
        <translation>；{tower} 是颜色选择性更强的塔（Δ {delta:.2f}）</translation>
    </message>
    <message>
        <source>; the towers are alike so far (random kernels sit near 0.67)</source>
        <translation>；两个塔目前还差不多（随机卷积核约为 0.67）</translation>
    </message>
    <message>
        <source>step {step:,}, epoch {epoch}; changed {change:.1f}% since the run started</source>
        <translation>第 {step:,} 步，第 {epoch} 轮；自运行开始以来变化了 {change:.1f}%</translation>
    </message>
    <message>
        <source>kernel {k} ({where}): colour selectivity {selectivity:.2f}, weights min {low:+.4f} max {high:+.4f}, norm {norm:.4f}</source>
        <translation>第 {k} 个卷积核（{where}）：颜色选择性 {selectivity:.2f}，权重最小 {low:+.4f}、最大 {high:+.4f}，范数 {norm:.4f}</translation>
    </message>
    <message>
        <source>kernel {k}
selectivity {selectivity:.2f}</source>
        <translation>第 {k} 个卷积核
选择性 {selectivity:.2f}</translation>
    </message>
    <message>
        <source>no kernels to export yet</source>
        <translation>还没有可导出的卷积核</translation>
    </message>
    <message>
        <source>Export conv1 kernels</source>
        <translation>导出 conv1 卷积核</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG vector image (*.svg);;PDF (*.pdf)</source>
        <translation>PNG 图像 (*.png);;SVG 矢量图 (*.svg);;PDF (*.pdf)</translation>
    </message>
    <message>
        <source>could not export kernels to &apos;{path}&apos;: {error}</source>
        <translation>无法将卷积核导出到“{path}”：{error}</translation>
    </message>
    <message>
        <source>wrote {path} and {npy}</source>
        <translation>已写入 {path} 和 {npy}</translation>
    </message>
    <message>
        <source>wrote {path}</source>
        <translation>已写入 {path}</translation>
    </message>
</context>
<context>
    <name>LRNPanel</name>
    <message>
        <source>channel</source>
        <translation>通道</translation>
    </message>
    <message>
        <source>most active</source>
        <translation>最活跃</translation>
    </message>
    <message>
        <source>Jump to the channel with the largest mean activation before LRN</source>
        <translation>跳到 LRN 之前平均激活最大的通道</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>before LRN</source>
        <translation>LRN 之前</translation>
    </message>
    <message>
        <source>after LRN</source>
        <translation>LRN 之后</translation>
    </message>
    <message>
        <source>after − before</source>
        <translation>之后 − 之前</translation>
    </message>
    <message>
        <source>activation (before and after)</source>
        <translation>激活值（之前和之后）</translation>
    </message>
    <message>
        <source>values</source>
        <translation>取值</translation>
    </message>
    <message>
        <source>count (log)</source>
        <translation>计数（对数）</translation>
    </message>
    <message>
        <source>activation</source>
        <translation>激活值</translation>
    </message>
    <message>
        <source>before</source>
        <translation>之前</translation>
    </message>
    <message>
        <source>after</source>
        <translation>之后</translation>
    </message>
    <message>
        <source>paper: α as written</source>
        <translation>论文：α 按原文</translation>
    </message>
    <message>
        <source>PyTorch/Caffe: α / n</source>
        <translation>PyTorch/Caffe：α / n</translation>
    </message>
    <message>
        <source>How α enters the sum: as the paper writes it, or divided by n as PyTorch&apos;s LocalResponseNorm and Caffe do</source>
        <translation>α 如何进入求和：按论文的写法，或像 PyTorch 的 LocalResponseNorm 和 Caffe 那样除以 n</translation>
    </message>
    <message>
        <source>Paper&apos;s values</source>
        <translation>论文的取值</translation>
    </message>
    <message>
        <source>PyTorch&apos;s convention: α/n = {a:.1e} inside the sum</source>
        <translation>PyTorch 的约定：求和内为 α/n = {a:.1e}</translation>
    </message>
    <message>
        <source>the paper&apos;s convention: α not divided by n</source>
        <translation>论文的约定：α 不除以 n</translation>
    </message>
    <message>
        <source>The sum stays inside the channel&apos;s tower, as each GPU normalised only its own maps: {ranges}.</source>
        <translation>求和只在该通道所在的塔内进行，因为每块 GPU 只归一化自己的特征图：{ranges}。</translation>
    </message>
    <message>
        <source>with &lt;b&gt;k = {k:.1f}, n = {n}, α = {alpha:.1e}, β = {beta:.2f}&lt;/b&gt; — {convention}. Paper: k = 2, n = 5, α = 1e-4, β = 0.75.</source>
        <translation>其中 &lt;b&gt;k = {k:.1f}，n = {n}，α = {alpha:.1e}，β = {beta:.2f}&lt;/b&gt; — {convention}。论文：k = 2，n = 5，α = 1e-4，β = 0.75。</translation>
    </message>
    <message>
        <source>This model has no LRN layers (torchvision&apos;s AlexNet dropped them).</source>
        <translation>该模型没有 LRN 层（torchvision 的 AlexNet 去掉了它们）。</translation>
    </message>
    <message>
        <source>&lt;b&gt;before&lt;/b&gt;: mean {pre_mean:.4g}, max {pre_max:.4g}, {pre_zero:.1f}% near 0 · &lt;b&gt;after&lt;/b&gt;: mean {post_mean:.4g}, max {post_max:.4g}, {post_zero:.1f}% near 0 (|a| &amp;lt; {near:g}) · &lt;b&gt;post/pre ratio&lt;/b&gt; {ratio:.3f} in this channel, {whole:.3f} in the layer (k&lt;sup&gt;−β&lt;/sup&gt; = {kb:.3f} where neighbours are quiet)&lt;br&gt;&lt;b&gt;LRN acts on {active:.1f}%&lt;/b&gt; of this image&apos;s active values in the layer (post/pre more than 1 % away from k&lt;sup&gt;−β&lt;/sup&gt;)</source>
        <translation>&lt;b&gt;之前&lt;/b&gt;：均值 {pre_mean:.4g}，最大 {pre_max:.4g}，{pre_zero:.1f}% 接近 0 · &lt;b&gt;之后&lt;/b&gt;：均值 {post_mean:.4g}，最大 {post_max:.4g}，{post_zero:.1f}% 接近 0（|a| &amp;lt; {near:g}）· &lt;b&gt;后/前之比&lt;/b&gt;：本通道 {ratio:.3f}，整层 {whole:.3f}（邻居安静时 k&lt;sup&gt;−β&lt;/sup&gt; = {kb:.3f}）&lt;br&gt;&lt;b&gt;LRN 作用于&lt;/b&gt;该层中本图像 &lt;b&gt;{active:.1f}%&lt;/b&gt; 的非零激活（后/前之比偏离 k&lt;sup&gt;−β&lt;/sup&gt; 超过 1 %）</translation>
    </message>
</context>
<context>
    <name>Lab</name>
    <message>
        <source>finished</source>
        <extracomment>how a run ended (``TrainEnd.reason``), as the window says it</extracomment>
        <translation>已完成</translation>
    </message>
    <message>
        <source>max steps</source>
        <translation>达到最大步数</translation>
    </message>
    <message>
        <source>time budget</source>
        <translation>时间预算用完</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>diverged</source>
        <translation>已发散</translation>
    </message>
    <message>
        <source>out of memory</source>
        <translation>内存不足</translation>
    </message>
    <message>
        <source>error</source>
        <translation>出错</translation>
    </message>
    <message>
        <source>settings</source>
        <translation>设置问题</translation>
    </message>
    <message>
        <source>locked</source>
        <translation>文件夹被占用</translation>
    </message>
    <message>
        <source>the {view} panel could not draw ({error}); training and the other panels go on</source>
        <translation>{view} 面板无法绘制（{error}）；训练和其他面板照常进行</translation>
    </message>
    <message>
        <source>training {model} AlexNet ({parameters:,} parameters) on {dataset} ({images:,} images, {classes} classes); run folder {folder}</source>
        <translation>正在 {dataset} 上训练 {model} AlexNet（{parameters:,} 个参数，{images:,} 张图像，{classes} 个类别）；运行文件夹 {folder}</translation>
    </message>
    <message>
        <source>continuing at step {step:,}: {what}</source>
        <translation>从第 {step:,} 步继续：{what}</translation>
    </message>
    <message>
        <source>validation at step {step:,}: top-1 error {top1:.2f}%, top-5 error {top5:.2f}% ({images:,} images, ten-crop)</source>
        <translation>第 {step:,} 步验证：top-1 错误率 {top1:.2f}%，top-5 错误率 {top5:.2f}%（{images:,} 张图像，十块裁剪）</translation>
    </message>
    <message>
        <source>validation at step {step:,}: top-1 error {top1:.2f}%, top-5 error {top5:.2f}% ({images:,} images)</source>
        <translation>第 {step:,} 步验证：top-1 错误率 {top1:.2f}%，top-5 错误率 {top5:.2f}%（{images:,} 张图像）</translation>
    </message>
    <message>
        <source>stop checkpoint written: {path}</source>
        <translation>已写入停止检查点：{path}</translation>
    </message>
    <message>
        <source>best checkpoint written: {path}</source>
        <translation>已写入最佳检查点：{path}</translation>
    </message>
    <message>
        <source>manual checkpoint written: {path}</source>
        <translation>已写入手动检查点：{path}</translation>
    </message>
    <message>
        <source>saved checkpoint {path}</source>
        <translation>已保存检查点 {path}</translation>
    </message>
    <message>
        <source>training ended ({reason}): {message}</source>
        <translation>训练结束（{reason}）：{message}</translation>
    </message>
    <message>
        <source>an experiment is running (Experiments panel): stop it or let it finish before training here</source>
        <translation>有实验正在运行（“实验”面板）：请先停止它或等它结束，再在这里训练</translation>
    </message>
    <message>
        <source>not started: {question}</source>
        <translation>未开始：{question}</translation>
    </message>
    <message>
        <source>{name} was left unfinished at step {step:,}: Start continues it in its folder (Train ▸ Start new run for a new one)</source>
        <translation>{name} 在第 {step:,} 步时未完成：按“开始”会在它的文件夹中继续训练（训练 ▸ 开始新的训练 可另起一次）</translation>
    </message>
    <message>
        <source>training is running: stop it before starting an experiment</source>
        <translation>正在训练：请先停止训练再开始实验</translation>
    </message>
    <message>
        <source>an experiment is already running</source>
        <translation>已有实验在运行</translation>
    </message>
    <message>
        <source>experiment {name} started: runs and report in {folder}</source>
        <translation>实验 {name} 已开始：运行记录和报告位于 {folder}</translation>
    </message>
    <message>
        <source>reading {path}…</source>
        <translation>正在读取 {path}…</translation>
    </message>
    <message>
        <source>dataset: folder {name}: {classes} classes, {images:,} images (Start trains on it)</source>
        <translation>数据集：文件夹 {name}：{classes} 个类别，{images:,} 张图像（按“开始”在其上训练）</translation>
    </message>
    <message>
        <source>&apos;{path}&apos; cannot be trained on: {why}; the data set stays {dataset}</source>
        <translation>无法在“{path}”上训练：{why}；数据集仍为 {dataset}</translation>
    </message>
    <message>
        <source>cannot open run &apos;{path}&apos;: no such folder</source>
        <translation>无法打开运行“{path}”：文件夹不存在</translation>
    </message>
    <message>
        <source>watching run {folder} (it is read from disk as its process writes it)</source>
        <translation>正在跟踪运行 {folder}（随其进程写入而从磁盘读取）</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>alexnet-gui — ImageNet Classification with Deep CNNs (2012), in the lab</source>
        <translation>alexnet-gui — 深度卷积神经网络 ImageNet 分类（2012）实验室</translation>
    </message>
    <message>
        <source>The window will be in {language} the next time alexnet-gui starts.</source>
        <translation>下次启动 alexnet-gui 时，窗口语言将切换为“{language}”。</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>alexnet-gui — what should Start do?</source>
        <translation>alexnet-gui — “开始”应该做什么？</translation>
    </message>
    <message>
        <source>read-only while training: stop the run to change them</source>
        <translation>训练期间只读：停止运行后才能修改</translation>
    </message>
    <message>
        <source>read-only: choose it in the toolbar&apos;s Recipe box to train with it</source>
        <translation>只读：在工具栏的“配方”框中选择它即可用它训练</translation>
    </message>
    <message>
        <source>Open images</source>
        <translation>打开图像</translation>
    </message>
    <message>
        <source>Open dataset folder (one sub-folder per class, or files named &lt;class&gt;.&lt;n&gt;.jpg)</source>
        <translation>打开数据集文件夹（每个类别一个子文件夹，或文件名为 &lt;class&gt;.&lt;n&gt;.jpg 的文件）</translation>
    </message>
    <message>
        <source>Open a run folder to watch (one a training process writes)</source>
        <translation>打开要跟踪的运行文件夹（由训练进程写入的文件夹）</translation>
    </message>
    <message>
        <source>Load weights</source>
        <translation>加载权重</translation>
    </message>
    <message>
        <source>Weights ({weights});;PyTorch weights ({torch});;Caffe models ({caffe});;All files (*)</source>
        <translation>权重 ({weights});;PyTorch 权重 ({torch});;Caffe 模型 ({caffe});;所有文件 (*)</translation>
    </message>
    <message>
        <source>Save checkpoint</source>
        <translation>保存检查点</translation>
    </message>
    <message>
        <source>PyTorch checkpoint (*.pt)</source>
        <translation>PyTorch 检查点 (*.pt)</translation>
    </message>
    <message>
        <source>clipboard image</source>
        <translation>剪贴板图像</translation>
    </message>
    <message>
        <source>the clipboard holds no image</source>
        <translation>剪贴板中没有图像</translation>
    </message>
    <message>
        <source>one weights file and one run folder are opened from a drop: {name} was, the others were not</source>
        <translation>一次拖放只会打开一个权重文件和一个运行文件夹：已打开 {name}，其余未打开</translation>
    </message>
    <message>
        <source>only local files can be dropped (not web addresses)</source>
        <translation>只能拖入本地文件（不能是网址）</translation>
    </message>
    <message>
        <source>stopping training and writing a checkpoint…</source>
        <translation>正在停止训练并写入检查点…</translation>
    </message>
    <message>
        <source>the training thread did not stop in time</source>
        <translation>训练线程未能及时停止</translation>
    </message>
</context>
<context>
    <name>Panels</name>
    <message>
        <source>Activation maps</source>
        <translation>激活图</translation>
    </message>
    <message>
        <source>Architecture (Figure 2)</source>
        <translation>架构（图 2）</translation>
    </message>
    <message>
        <source>Training curves</source>
        <translation>训练曲线</translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>Experiments</source>
        <translation>实验</translation>
    </message>
    <message>
        <source>Explain</source>
        <translation>解释</translation>
    </message>
    <message>
        <source>Figure 4</source>
        <translation>图 4</translation>
    </message>
    <message>
        <source>Conv1 kernels by GPU group</source>
        <translation>按 GPU 分组的 Conv1 卷积核</translation>
    </message>
    <message>
        <source>LRN effect</source>
        <translation>LRN 效果</translation>
    </message>
    <message>
        <source>Paper tour</source>
        <extracomment>where the sections seen are remembered (the window&apos;s QSettings): their numbers, comma-separated</extracomment>
        <translation>论文导览</translation>
    </message>
    <message>
        <source>Predictions</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Top patches</source>
        <translation>最强激活图像块</translation>
    </message>
</context>
<context>
    <name>PaperPanel</name>
    <message>
        <source>Seen: ticked when its button (or its menu item) was used; tick or untick it yourself</source>
        <translation>已看过：使用过其按钮（或菜单项）后自动勾选；也可以自己勾选或取消</translation>
    </message>
    <message>
        <source>{text}&lt;br&gt;&lt;i&gt;What you will see:&lt;/i&gt; {see}</source>
        <translation>{text}&lt;br&gt;&lt;i&gt;你将看到：&lt;/i&gt;{see}</translation>
    </message>
    <message>
        <source>Show it:</source>
        <translation>展示：</translation>
    </message>
    <message>
        <source>Krizhevsky, Sutskever and Hinton (2012), section by section: each button does what its menu item does. Seen {seen} of {count}.</source>
        <translation>Krizhevsky、Sutskever 和 Hinton（2012），逐节导览：每个按钮的作用与对应的菜单项相同。已看过 {count} 节中的 {seen} 节。</translation>
    </message>
</context>
<context>
    <name>PaperResults</name>
    <message>
        <source>one centre crop here, ten crops averaged in the paper</source>
        <extracomment>the experiments whose reports show a table (experiment name -&gt; table numbers): the ablations are measured against the one-CNN net of Table 2, and the ensemble experiment compares 5 CNNs with 1 CNN there a few of ImageNet&apos;s class names by index, as torchvision (and this app&apos;s Caffe import) name them</extracomment>
        <translation>这里用一个中心裁剪，论文对十块裁剪取平均</translation>
    </message>
    <message>
        <source>{data}&apos;s validation images here; Table 2 is the ILSVRC-2012 validation set, Table 1 the ILSVRC-2010 test set</source>
        <translation>这里用的是 {data} 的验证图像；表 2 是 ILSVRC-2012 验证集，表 1 是 ILSVRC-2010 测试集</translation>
    </message>
    <message>
        <source>this data set</source>
        <translation>该数据集</translation>
    </message>
    <message>
        <source>a subset of the images here</source>
        <translation>这里只用了部分图像</translation>
    </message>
    <message>
        <source>torchvision&apos;s weights are the later one-tower variant (64-192-384-256-256 kernels, no LRN), not the paper&apos;s network</source>
        <translation>torchvision 的权重属于后来的单塔变体（64-192-384-256-256 个卷积核，没有 LRN），并非论文的网络</translation>
    </message>
    <message>
        <source>Yours: top-1 {top1:.1f} %, top-5 {top5:.1f} %.  The paper&apos;s one CNN: {one_top1:.1f} % / {one_top5:.1f} % (Table 2, ILSVRC-2012 val); {cnn_top1:.1f} % / {cnn_top5:.1f} % (Table 1, ILSVRC-2010 test); 5 CNNs {five_top1:.1f} % / {five_top5:.1f} %.  Not the same measurement: {differences}.</source>
        <translation>你的结果：top-1 {top1:.1f} %，top-5 {top5:.1f} %。论文中的单个 CNN：{one_top1:.1f} % / {one_top5:.1f} %（表 2，ILSVRC-2012 验证集）；{cnn_top1:.1f} % / {cnn_top5:.1f} %（表 1，ILSVRC-2010 测试集）；5 个 CNN：{five_top1:.1f} % / {five_top5:.1f} %。测量方式并不相同：{differences}。</translation>
    </message>
</context>
<context>
    <name>PaperTour</name>
    <message>
        <source>a GPU runs CIFAR-10 for several epochs an arm, with three seeds</source>
        <extracomment>per experiment; the others take :data:`DEFAULT_BUDGET`. Figure 1&apos;s small net reaches 25 % training error in about 150 steps (README&apos;s measured table: ~21 s of training), the AlexNet arms learn visibly in two minutes</extracomment>
        <translation>有 GPU 时，每个实验组在 CIFAR-10 上训练若干轮，使用三个种子</translation>
    </message>
    <message>
        <source>a GPU gives each of the four arms half an hour and three seeds</source>
        <translation>有 GPU 时，四个实验组各训练半小时，使用三个种子</translation>
    </message>
    <message>
        <source>a GPU gives each arm half an hour (tens of epochs at 83 px) and three seeds: differences larger than the seed-to-seed spread</source>
        <translation>有 GPU 时，每个实验组训练半小时（在 83 px 下几十轮），使用三个种子：差异会大于不同种子间的波动</translation>
    </message>
    <message>
        <source>Budget: {cpu} s per arm on a 2-core CPU (about {minutes:.0f} min for its {arms} arms); with a GPU, {gpu} min per arm: {note}</source>
        <translation>预算：在双核 CPU 上每组 {cpu} 秒（{arms} 个实验组共约 {minutes:.0f} 分钟）；有 GPU 时每组 {gpu} 分钟：{note}</translation>
    </message>
    <message>
        <source>ReLU nonlinearity</source>
        <translation>ReLU 非线性</translation>
    </message>
    <message>
        <source>Units that output max(0, x) instead of tanh(x) do not saturate, so their gradients stay large. In Figure 1 a four-layer net on CIFAR-10 reached {target:g} % training error {ratio} times sooner with ReLUs than with tanh, each at its own best learning rate.</source>
        <translation>输出 max(0, x) 而不是 tanh(x) 的单元不会饱和，因此梯度保持较大。在图 1 中，CIFAR-10 上的四层网络使用 ReLU 时达到 {target:g} % 训练错误率的速度是使用 tanh 时的 {ratio} 倍，两者都采用各自最佳的学习率。</translation>
    </message>
    <message>
        <source>Both arms trained side by side after a short learning-rate sweep; the report says which reached {target:g} % training error first, and how many times sooner. {budget}.</source>
        <translation>两个实验组在短暂的学习率扫描之后并排训练；报告会说明哪一组先达到 {target:g} % 的训练错误率，以及快了多少倍。{budget}。</translation>
    </message>
    <message>
        <source>Training on two GPUs</source>
        <translation>在两块 GPU 上训练</translation>
    </message>
    <message>
        <source>The network is split into two towers, one per GPU, that exchange maps only at conv3 and the fully connected layers. Against a one-GPU net with half the kernels in conv1-conv4 ({one:,} parameters, the two-tower net {two:,}) it cut top-1 and top-5 error by {top1} % and {top5} %.</source>
        <translation>网络被拆成两个塔，每块 GPU 一个，只在 conv3 和全连接层交换特征图。与 conv1-conv4 卷积核减半的单 GPU 网络（{one:,} 个参数，双塔网络为 {two:,} 个）相比，它使 top-1 和 top-5 错误率分别降低 {top1} % 和 {top5} %。</translation>
    </message>
    <message>
        <source>Figure 2, drawn from the loaded model: the towers and where they talk; beside it conv1&apos;s kernels per tower (Figure 3): one tower&apos;s kernels turn mostly colour-agnostic, the other&apos;s colour-specific, with the mean colour selectivity of each.</source>
        <translation>图 2，按加载的模型绘制：两个塔以及它们交换信息的位置；旁边是按塔分组的 conv1 卷积核（图 3）：一个塔的卷积核大多与颜色无关，另一个塔的则对颜色敏感，并给出各自的平均颜色选择性。</translation>
    </message>
    <message>
        <source>Local response normalisation</source>
        <translation>局部响应归一化</translation>
    </message>
    <message>
        <source>After ReLU in conv1 and conv2 each activity is divided by (k + α Σ a²)^β over n neighbouring maps, with k = {k}, n = {n}, α = {alpha}, β = {beta}: neighbouring kernels compete. It cut top-1 and top-5 error by {top1} % and {top5} %, and on CIFAR-10 a four-layer net&apos;s test error by {cifar:g} points.</source>
        <translation>在 conv1 和 conv2 的 ReLU 之后，每个激活值除以相邻 n 张特征图上的 (k + α Σ a²)^β，其中 k = {k}，n = {n}，α = {alpha}，β = {beta}：相邻的卷积核彼此竞争。它使 top-1 和 top-5 错误率分别降低 {top1} % 和 {top5} %，并使 CIFAR-10 上四层网络的测试错误率降低 {cifar:g} 个百分点。</translation>
    </message>
    <message>
        <source>The LRN panel with the paper&apos;s constants on the current image: a map before and after normalisation and their difference; move k, n, α and β and watch it change. The `lrn` experiment measures the effect.</source>
        <translation>在当前图像上以论文常数打开 LRN 面板：某张特征图归一化前后的样子及其差异；拖动 k、n、α 和 β 观察变化。`lrn` 实验会测量这一效果。</translation>
    </message>
    <message>
        <source>Overlapping pooling</source>
        <translation>重叠池化</translation>
    </message>
    <message>
        <source>Pooling windows that overlap ({on}) instead of tiling ({off}) cut top-1 and top-5 error by {top1} % and {top5} %, and the net overfits slightly less.</source>
        <translation>相互重叠的池化窗口（{on}）代替不重叠的窗口（{off}），使 top-1 和 top-5 错误率分别降低 {top1} % 和 {top5} %，且网络的过拟合略少。</translation>
    </message>
    <message>
        <source>Both poolings trained with the same seed and data order, at a size where their maps are equal. {budget}.</source>
        <translation>两种池化使用相同的种子和数据顺序训练，所用尺寸使两者的特征图大小相同。{budget}。</translation>
    </message>
    <message>
        <source>Overall architecture</source>
        <translation>整体架构</translation>
    </message>
    <message>
        <source>Five convolutional layers ({kernels} kernels) and three fully connected ({fc6}, {fc7}, {fc8}-way softmax): {parameters:,} parameters. The paper says 224 px input, but the shapes need {size} (conv1&apos;s 11x11 stride 4 gives 55x55 maps).</source>
        <translation>五个卷积层（{kernels} 个卷积核）和三个全连接层（{fc6}、{fc7}、{fc8} 路 softmax）：共 {parameters:,} 个参数。论文写的是 224 px 输入，但按形状计算需要 {size}（conv1 的 11x11、步幅 4 才能得到 55x55 的特征图）。</translation>
    </message>
    <message>
        <source>Figure 2 live: each layer a box with its kernels, stride and output shape; hover for parameters, neurons and multiply-adds, click a layer for its activation maps.</source>
        <translation>实时的图 2：每层是一个方框，标出其卷积核、步幅和输出形状；悬停查看参数、神经元和乘加次数，点击某一层查看其激活图。</translation>
    </message>
    <message>
        <source>Data augmentation</source>
        <translation>数据增强</translation>
    </message>
    <message>
        <source>Random crops and horizontal flips multiply the data; without them the net overfits substantially. PCA colour lighting adds each image&apos;s principal colour components times α ~ N(0, {sigma}), and cut top-1 error by over {top1:g} %.</source>
        <translation>随机裁剪和水平翻转扩充了数据；没有它们网络会严重过拟合。PCA 颜色光照把每张图像的主颜色分量乘以 α ~ N(0, {sigma}) 后加上去，使 top-1 错误率降低 {top1:g} % 以上。</translation>
    </message>
    <message>
        <source>Two experiments: crops and flips against the central crop alone, and PCA lighting against none. {budget}.</source>
        <translation>两个实验：裁剪加翻转对比仅用中心裁剪，以及 PCA 光照对比不使用。{budget}。</translation>
    </message>
    <message>
        <source>Dropout</source>
        <translation>丢弃法（Dropout）</translation>
    </message>
    <message>
        <source>The outputs of fc6 and fc7 are set to zero with probability {p} while training, so no neuron can rely on another. It curbs overfitting and takes about {ratio} times the iterations to converge.</source>
        <translation>训练时 fc6 和 fc7 的输出以 {p} 的概率被置为零，使任何神经元都不能依赖另一个神经元。它抑制了过拟合，但收敛所需的迭代次数约为原来的 {ratio} 倍。</translation>
    </message>
    <message>
        <source>The network with and without dropout; the report compares the gap between validation and training error. {budget}.</source>
        <translation>使用与不使用丢弃法的网络对比；报告比较验证错误率与训练错误率之间的差距。{budget}。</translation>
    </message>
    <message>
        <source>Details of learning</source>
        <translation>学习细节</translation>
    </message>
    <message>
        <source>Stochastic gradient descent, batch {batch}, momentum {momentum}, weight decay {decay} inside the update: {rule}. The learning rate starts at {lr} and is divided by 10 when validation error stops improving; about {epochs} epochs, nearly a week on two GTX 580 GPUs.</source>
        <translation>随机梯度下降，批大小 {batch}，动量 {momentum}，权重衰减 {decay} 放在更新式内部：{rule}。学习率从 {lr} 开始，每当验证错误率不再下降时除以 10；共训练约 {epochs} 轮，在两块 GTX 580 GPU 上用了将近一周。</translation>
    </message>
    <message>
        <source>The `paper` recipe&apos;s settings, read-only: the update rule, the schedule, the inputs. Choose `paper` in the toolbar&apos;s Recipe box to train with them.</source>
        <translation>`paper` 配方的设置（只读）：更新规则、学习率调度和输入。在工具栏的“配方”框中选择 `paper` 即可用它们训练。</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>On ILSVRC-2010 test the net&apos;s top-1 / top-5 error was {t1_top1} % / {t1_top5} % (Table 1). On ILSVRC-2012 (Table 2) one CNN had {cnn1_top1} % / {cnn1_top5} % on validation, five averaged {cnn5_top1} % / {cnn5_top5} %, seven with pre-training {cnn7_top5} % top-5 ({cnn7_test} % on test, against {fvs_test} % for the next entry).</source>
        <translation>在 ILSVRC-2010 测试集上，该网络的 top-1 / top-5 错误率为 {t1_top1} % / {t1_top5} %（表 1）。在 ILSVRC-2012 上（表 2），单个 CNN 在验证集上为 {cnn1_top1} % / {cnn1_top5} %，五个取平均为 {cnn5_top1} % / {cnn5_top5} %，七个（含预训练）的 top-5 为 {cnn7_top5} %（测试集上 {cnn7_test} %，而第二名为 {fvs_test} %）。</translation>
    </message>
    <message>
        <source>The Evaluation view: your model&apos;s top-1 and top-5 error, confusion matrix and mistakes; with ImageNet weights loaded the paper&apos;s Tables 1 and 2 beside your figures, and how the measurements differ.</source>
        <translation>评估视图：你的模型的 top-1 和 top-5 错误率、混淆矩阵和错例；加载 ImageNet 权重时，论文的表 1 和表 2 会列在你的结果旁边，并说明测量方式的差异。</translation>
    </message>
    <message>
        <source>Qualitative evaluations</source>
        <translation>定性评估</translation>
    </message>
    <message>
        <source>Figure 4: test images with the net&apos;s top-5 labels, mostly sensible even when wrong; and test images beside the {k} training images whose last hidden layer (fc7, {fc7} numbers) is nearest in Euclidean distance: similar for the net, though not in pixels.</source>
        <translation>图 4：测试图像及网络给出的 top-5 标签，即使答错也大多合理；以及测试图像与最后一个隐藏层（fc7，{fc7} 个数）在欧氏距离下最接近的 {k} 张训练图像：它们在网络看来相似，但像素上并不相似。</translation>
    </message>
    <message>
        <source>Figure 4 for the loaded model and data: the top-5 grid, and the nearest training images of the current image.</source>
        <translation>针对加载的模型和数据的图 4：top-5 网格，以及与当前图像最接近的训练图像。</translation>
    </message>
    <message>
        <source>Discussion</source>
        <translation>讨论</translation>
    </message>
    <message>
        <source>Depth matters: removing any middle convolutional layer cost about {top1:g} % top-1. The paper used no unsupervised pre-training and expected larger, deeper nets (and video) to do better.</source>
        <translation>深度很重要：去掉任意一个中间卷积层都会使 top-1 错误率上升约 {top1:g} %。论文没有使用无监督预训练，并预计更大、更深的网络（以及视频）会表现得更好。</translation>
    </message>
    <message>
        <source>The full network against the same without conv3, without conv4 and without conv5. {budget}.</source>
        <translation>完整网络与分别去掉 conv3、conv4、conv5 的同一网络对比。{budget}。</translation>
    </message>
</context>
<context>
    <name>PlotItem</name>
    <message>
        <source>Plot Options</source>
        <translation>绘图选项</translation>
    </message>
    <message>
        <source>Transforms</source>
        <translation>变换</translation>
    </message>
    <message>
        <source>Downsample</source>
        <translation>降采样</translation>
    </message>
    <message>
        <source>Average</source>
        <translation>平均</translation>
    </message>
    <message>
        <source>Alpha</source>
        <translation>透明度</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>数据点</translation>
    </message>
</context>
<context>
    <name>PredictionsPanel</name>
    <message>
        <source>Drop an image anywhere on the window,
or open / paste one.</source>
        <translation>把图像拖到窗口的任意位置，
或者打开 / 粘贴一张。</translation>
    </message>
    <message>
        <source>ten-crop</source>
        <translation>十块裁剪</translation>
    </message>
    <message>
        <source>The paper&apos;s test procedure: average the softmax of the four corner crops, the centre crop and their mirror images</source>
        <translation>论文的测试方法：对四个角、中心裁剪及其镜像共十块的 softmax 取平均</translation>
    </message>
    <message>
        <source>Open image…</source>
        <translation>打开图像…</translation>
    </message>
    <message>
        <source>Open images</source>
        <translation>打开图像</translation>
    </message>
    <message>
        <source>⚠ these weights answer in their own {count} classes, not {dataset}&apos;s {dataset_count}: train on {dataset}, or File ▸ Fresh untrained model for it</source>
        <translation>⚠ 这些权重按它们自己的 {count} 个类别作答，而不是 {dataset} 的 {dataset_count} 个：请在 {dataset} 上训练，或用 文件 ▸ 全新的未训练模型 为它新建模型</translation>
    </message>
    <message>
        <source>ten-crop average</source>
        <translation>十块裁剪平均</translation>
    </message>
    <message>
        <source>centre crop</source>
        <translation>中心裁剪</translation>
    </message>
    <message>
        <source>the model knows {classes} only</source>
        <translation>该模型只认识 {classes}</translation>
    </message>
    <message>
        <source>{image} — {crop}, weights: {source}</source>
        <translation>{image} — {crop}，权重：{source}</translation>
    </message>
    <message>
        <source>class index {index}; click to explain it</source>
        <translation>类别编号 {index}；点击以解释它</translation>
    </message>
    <message>
        <source>⚠ &lt;b&gt;Untrained weights&lt;/b&gt;: these classes are random, not predictions. Train the network, or load weights (a checkpoint or torchvision&apos;s ImageNet weights).</source>
        <translation>⚠ &lt;b&gt;未训练的权重&lt;/b&gt;：这些类别是随机的，不是预测。请训练网络，或加载权重（检查点或 torchvision 的 ImageNet 权重）。</translation>
    </message>
</context>
<context>
    <name>Recipes</name>
    <message>
        <source>Section 5: the paper&apos;s update rule (``optimizer=&quot;paper&quot;``: momentum 0.9 and weight decay 5e-4 inside the velocity), batch 128, lr 0.01 / 10 on plateau, ~90 epochs, in fp32 (``amp=False``; bf16 is one setting away).</source>
        <extracomment>how the curves should follow the run: &quot;steps&quot; (loss per step) or &quot;epochs&quot; (d2l&apos;s animation: train loss, train accuracy and test accuracy per epoch) the classes the recipe&apos;s network has where its data set does not say (a folder&apos;s classes are known only once it is read): the seed&apos;s fine-tune script replaces fc8 for cats and dogs a session opens it on its own data set, not on the one the machine has at hand (Fashion-MNIST or synthetic) switching to it keeps its own data set unless the current one is a folder of the user&apos;s trained on another data set than its own, the network takes this many channels (grey data is repeated); None: the recipe&apos;s own channels stay (d2l&apos;s one-channel network) each recipe in one sentence, for the window (its docstring&apos;s first sentence; marked for translation)</extracomment>
        <translation>论文第 5 节：论文的更新规则（``optimizer=&quot;paper&quot;``：动量 0.9，权重衰减 5e-4 放在速度项内部），批大小 128，学习率 0.01、停滞时除以 10，约 90 轮，使用 fp32（``amp=False``；改一项设置即可用 bf16）。</translation>
    </message>
    <message>
        <source>Dive into Deep Learning&apos;s AlexNet chapter, as its code runs: d2l&apos;s own network (``model=&quot;d2l&quot;``: one input channel, conv1 padding 1, no LRN or towers, 6400 inputs to fc6, Xavier-uniform weights), Fashion-MNIST resized to 224 with no augmentation and no normalisation (``ToTensor`` only), plain SGD (no momentum, no weight decay) at lr 0.01, batch 128, 10 epochs, fp32.</source>
        <translation>《动手学深度学习》中 AlexNet 一章，按其代码原样运行：d2l 自己的网络（``model=&quot;d2l&quot;``：单输入通道，conv1 填充 1，没有 LRN 也没有双塔，fc6 有 6400 个输入，Xavier 均匀初始化），Fashion-MNIST 缩放到 224，不做数据增强也不做归一化（只有 ``ToTensor``），普通 SGD（无动量、无权重衰减），学习率 0.01，批大小 128，10 轮，fp32。</translation>
    </message>
    <message>
        <source>The seed&apos;s cats-vs-dogs fine-tune script, exactly: torchvision&apos;s ImageNet AlexNet with a new fc8 for the data set&apos;s classes; SGD lr 0.001, momentum 0.9, no weight decay, one lr for every layer; StepLR(step_size=1, gamma=0.1) stepped once per epoch; 3 epochs of batch 128.</source>
        <translation>种子项目中的猫狗微调脚本，原样照搬：torchvision 在 ImageNet 上训练的 AlexNet，并为数据集的类别换上新的 fc8；SGD 学习率 0.001，动量 0.9，无权重衰减，所有层使用同一学习率；StepLR(step_size=1, gamma=0.1) 每轮调整一次；批大小 128，训练 3 轮。</translation>
    </message>
    <message>
        <source>For a 2-core CPU with no GPU: the paper&apos;s network at 83 px, learning visibly within a minute.</source>
        <translation>适合没有 GPU 的双核 CPU：论文的网络在 83 px 下运行，一分钟内就能看到学习效果。</translation>
    </message>
    <message>
        <source>Seed 001&apos;s port (the alexnet-pytorch repository&apos;s ``model.py``) with the constants its script declares: its own network (``model=&quot;seed001&quot;``), 227 px centre crops (``CenterCrop(227)``: no random crops, no flips, no PCA lighting), ImageNet&apos;s mean and std, batch 128, 90 epochs, lr x 0.1 every 30 epochs (``StepLR(30, 0.1)``), and the paper&apos;s SGD (lr 0.01, momentum 0.9, weight decay 5e-4), the lines the script keeps beside the optimizer it runs — which is ``Adam(lr=1e-4)`` (&quot;the one that WORKS&quot;), with no weight decay: so this recipe runs Adam at 1e-4 (``optimizer=&quot;adam&quot;``); ``--optimizer paper --lr 0.01 --set weight_decay=5e-4`` runs the lines it keeps.</source>
        <translation>Seed 001 的移植版（alexnet-pytorch 仓库的 ``model.py``），采用其脚本中声明的常数：它自己的网络（``model=&quot;seed001&quot;``），227 px 中心裁剪（``CenterCrop(227)``：没有随机裁剪、翻转和 PCA 光照），ImageNet 的均值和标准差，批大小 128，90 轮，每 30 轮学习率乘以 0.1（``StepLR(30, 0.1)``），以及论文的 SGD（学习率 0.01，动量 0.9，权重衰减 5e-4）——这些是脚本保留在它实际使用的优化器旁边的代码行，而它实际使用的是 ``Adam(lr=1e-4)``（脚本注释称之为“唯一管用的那个”），没有权重衰减：所以本配方以 1e-4 运行 Adam（``optimizer=&quot;adam&quot;``）；``--optimizer paper --lr 0.01 --set weight_decay=5e-4`` 则运行它保留的那些行。</translation>
    </message>
    <message>
        <source>d2l.ai, AlexNet on Fashion-MNIST at 224 px: about 0.88 train and test accuracy after 10 epochs (published runs 0.881 / 0.884)</source>
        <translation>d2l.ai，AlexNet 在 224 px 的 Fashion-MNIST 上：10 轮后训练和测试准确率约为 0.88（公开运行结果为 0.881 / 0.884）</translation>
    </message>
</context>
<context>
    <name>RunStatus</name>
    <message>
        <source>running</source>
        <extracomment>a run&apos;s state in words (a :class:`RunStatus` value; &quot;opening&quot; and &quot;missing&quot; for a run being followed), marked for translation: the window says them in its language</extracomment>
        <translation>运行中</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>diverged</source>
        <translation>已发散</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>crashed</source>
        <translation>已崩溃</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>opening</source>
        <translation>正在打开</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>缺失</translation>
    </message>
</context>
<context>
    <name>RunWatcher</name>
    <message>
        <source>could not read the run: {error}</source>
        <translation>无法读取该运行：{error}</translation>
    </message>
    <message>
        <source>{file} of {name} was truncated or replaced: its curves are read again from the start</source>
        <translation>{name} 的 {file} 被截断或替换：将从头重新读取其曲线</translation>
    </message>
    <message>
        <source>the run folder is gone (following it again when it comes back)</source>
        <translation>运行文件夹已不存在（它重新出现时会继续跟踪）</translation>
    </message>
    <message>
        <source>there is no {file} yet</source>
        <translation>尚无 {file}</translation>
    </message>
    <message>
        <source>{count:,} record(s) of {file} lack fields and were skipped</source>
        <translation>{file} 中有 {count:,} 条记录缺少字段，已跳过</translation>
    </message>
    <message>
        <source>{count:,} line(s) of {file} are not records and were skipped</source>
        <translation>{file} 中有 {count:,} 行不是记录，已跳过</translation>
    </message>
</context>
<context>
    <name>Runs</name>
    <message>
        <source>step</source>
        <extracomment>the x axes a curve can be drawn against</extracomment>
        <translation>步</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮</translation>
    </message>
    <message>
        <source>images seen</source>
        <translation>已见图像数</translation>
    </message>
    <message>
        <source>training time (s)</source>
        <translation>训练时间（秒）</translation>
    </message>
    <message>
        <source>training loss</source>
        <extracomment>the y values: what a curve shows, and its label</extracomment>
        <translation>训练损失</translation>
    </message>
    <message>
        <source>training top-1 error</source>
        <translation>训练 top-1 错误率</translation>
    </message>
    <message>
        <source>validation loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <source>validation top-1 error</source>
        <translation>验证 top-1 错误率</translation>
    </message>
    <message>
        <source>validation top-5 error</source>
        <translation>验证 top-5 错误率</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>images/s</source>
        <translation>图像/秒</translation>
    </message>
    <message>
        <source>{count} line(s) of {file} are not records and were skipped (line {where})</source>
        <translation>{file} 中有 {count} 行不是记录，已跳过（第 {where} 行）</translation>
    </message>
    <message>
        <source>the last line of {file} is cut off (a run still writing it, or one that was killed mid-line)</source>
        <translation>{file} 的最后一行被截断（运行仍在写入，或进程在写一行时被终止）</translation>
    </message>
    <message>
        <source>there is no {file} (nothing logged yet)</source>
        <translation>没有 {file}（尚未记录任何内容）</translation>
    </message>
    <message>
        <source>could not read &apos;{path}&apos;: {why}</source>
        <translation>无法读取“{path}”：{why}</translation>
    </message>
    <message>
        <source>there is no {file}: the run&apos;s settings are unknown</source>
        <translation>没有 {file}：该运行的设置未知</translation>
    </message>
    <message>
        <source>not valid JSON</source>
        <translation>不是有效的 JSON</translation>
    </message>
    <message>
        <source>{file} cannot be read ({why}): the run&apos;s settings are unknown</source>
        <translation>无法读取 {file}（{why}）：该运行的设置未知</translation>
    </message>
    <message>
        <source>{file} is not a JSON object: the run&apos;s settings are unknown</source>
        <translation>{file} 不是 JSON 对象：该运行的设置未知</translation>
    </message>
    <message>
        <source>{file} was written by a newer alexnet-gui (format version {version}; this version reads {ours}): what it knows is read, the rest left out</source>
        <translation>{file} 由更新版本的 alexnet-gui 写入（格式版本 {version}；本版本读取 {ours}）：只读取能识别的部分，其余忽略</translation>
    </message>
    <message>
        <source>{file} has settings this version does not know, left out (written by a newer alexnet-gui?): {keys}</source>
        <translation>{file} 中有本版本不认识的设置，已忽略（由更新版本的 alexnet-gui 写入？）：{keys}</translation>
    </message>
    <message>
        <source>{file}&apos;s model_options is not an object; left out</source>
        <translation>{file} 中的 model_options 不是对象；已忽略</translation>
    </message>
    <message>
        <source>there is no {file}: nothing was logged</source>
        <translation>没有 {file}：没有记录任何内容</translation>
    </message>
    <message>
        <source>{file} cannot be read ({why})</source>
        <translation>无法读取 {file}（{why}）</translation>
    </message>
    <message>
        <source>last.pt is missing: the run cannot be resumed or its last weights opened</source>
        <translation>缺少 last.pt：无法恢复该运行，也无法打开其最后的权重</translation>
    </message>
    <message>
        <source>best.pt is missing: the best weights cannot be opened</source>
        <translation>缺少 best.pt：无法打开最佳权重</translation>
    </message>
    <message>
        <source>could not read {file}: {why}</source>
        <extracomment>bytes compared to tell the same file from a new one that took its inode</extracomment>
        <translation>无法读取 {file}：{why}</translation>
    </message>
    <message>
        <source>process {pid}</source>
        <extracomment>how long an acquisition retries when the lock is busy but its file names no live holder (another process probing whether the run is running holds it for a moment)</extracomment>
        <translation>进程 {pid}</translation>
    </message>
    <message>
        <source>another process</source>
        <translation>另一个进程</translation>
    </message>
    <message>
        <source>{who} on {host}</source>
        <translation>{host} 上的{who}</translation>
    </message>
    <message>
        <source>{who} (since {time})</source>
        <translation>{who}（自 {time} 起）</translation>
    </message>
</context>
<context>
    <name>RunsPanel</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Recipe</source>
        <translation>配方</translation>
    </message>
    <message>
        <source>Data set</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>Differs from defaults</source>
        <translation>与默认值不同之处</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Best top-1</source>
        <translation>最佳 top-1</translation>
    </message>
    <message>
        <source>Best top-5</source>
        <translation>最佳 top-5</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>{folder}: no such folder</source>
        <translation>{folder}：文件夹不存在</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>添加文件夹…</translation>
    </message>
    <message>
        <source>List the runs of another folder too (a run folder, or a folder of runs)</source>
        <translation>同时列出另一个文件夹中的运行（一个运行文件夹，或包含多个运行的文件夹）</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Read the folders again (done every {seconds} s while this panel is shown)</source>
        <translation>重新读取这些文件夹（面板显示时每 {seconds} 秒自动读取一次）</translation>
    </message>
    <message>
        <source>What the overlaid curves are drawn against</source>
        <translation>叠加曲线的横轴</translation>
    </message>
    <message>
        <source>What the overlaid curves show</source>
        <translation>叠加曲线显示的量</translation>
    </message>
    <message>
        <source>Select runs (Ctrl/Shift-click) to overlay their curves.</source>
        <translation>选择运行（Ctrl/Shift 点击）以叠加它们的曲线。</translation>
    </message>
    <message>
        <source>Load best</source>
        <translation>加载最佳</translation>
    </message>
    <message>
        <source>Load the selected run&apos;s best.pt (the best validation so far) in the app</source>
        <translation>在程序中加载所选运行的 best.pt（目前验证结果最好的权重）</translation>
    </message>
    <message>
        <source>Load last</source>
        <translation>加载最后</translation>
    </message>
    <message>
        <source>Load the selected run&apos;s last.pt in the app (Start then continues that run)</source>
        <translation>在程序中加载所选运行的 last.pt（之后按“开始”会继续该运行）</translation>
    </message>
    <message>
        <source>Watch live</source>
        <translation>实时跟踪</translation>
    </message>
    <message>
        <source>Follow the selected run in the Training curves and Conv1 kernels panels as its process writes it (double-click a row does the same)</source>
        <translation>在“训练曲线”和“Conv1 卷积核”面板中跟踪所选运行，随其进程写入实时更新（双击一行效果相同）</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Delete the selected run folders (after asking; never a running run)</source>
        <translation>删除所选的运行文件夹（会先询问；正在运行的运行不会删除）</translation>
    </message>
    <message>
        <source>Remove checkpoints…</source>
        <translation>删除检查点…</translation>
    </message>
    <message>
        <source>Remove the selected runs&apos; last.pt and best.pt to free disk space (after asking); their curves, config and kernels stay listed and overlaid</source>
        <translation>删除所选运行的 last.pt 和 best.pt 以释放磁盘空间（会先询问）；它们的曲线、配置和卷积核仍会列出和叠加</translation>
    </message>
    <message>
        <source>Add a folder of runs (or one run folder)</source>
        <translation>添加包含多个运行的文件夹（或一个运行文件夹）</translation>
    </message>
    <message>
        <source>Runs in {folders}</source>
        <translation>运行位于 {folders}</translation>
    </message>
    <message>
        <source>could not list the runs: {error}</source>
        <translation>无法列出运行：{error}</translation>
    </message>
    <message>
        <source>{count} run</source>
        <translation>{count} 个运行</translation>
    </message>
    <message>
        <source>{count} runs</source>
        <translation>{count} 个运行</translation>
    </message>
    <message>
        <source>{count} with problems</source>
        <translation>{count} 个有问题</translation>
    </message>
    <message>
        <source>({size} of it checkpoints)</source>
        <translation>（其中检查点占 {size}）</translation>
    </message>
    <message>
        <source>removed (the curves and config are kept)</source>
        <translation>已删除（曲线和配置仍保留）</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>state: {state}</source>
        <translation>状态：{state}</translation>
    </message>
    <message>
        <source>model: {model}, batch {batch}, epochs completed {epochs}</source>
        <translation>模型：{model}，批大小 {batch}，已完成 {epochs} 轮</translation>
    </message>
    <message>
        <source>size on disk: {size}</source>
        <translation>磁盘占用：{size}</translation>
    </message>
    <message>
        <source>checkpoints: {files}</source>
        <translation>检查点：{files}</translation>
    </message>
    <message>
        <source>problems:</source>
        <translation>问题：</translation>
    </message>
    <message>
        <source>could not read the runs&apos; curves: {error}</source>
        <translation>无法读取运行的曲线：{error}</translation>
    </message>
    <message>
        <source>{y} against {x}</source>
        <translation>{y} 对 {x}</translation>
    </message>
    <message>
        <source>reading the curves…</source>
        <translation>正在读取曲线…</translation>
    </message>
    <message>
        <source>{name}: no {y} against {x} recorded</source>
        <translation>{name}：没有记录 {y} 对 {x} 的数据</translation>
    </message>
    <message>
        <source>(+{count} more)</source>
        <translation>（另有 {count} 条）</translation>
    </message>
    <message>
        <source>{count} run overlaid</source>
        <translation>已叠加 {count} 个运行</translation>
    </message>
    <message>
        <source>{count} runs overlaid</source>
        <translation>已叠加 {count} 个运行</translation>
    </message>
    <message>
        <source>{name} has no {file}</source>
        <translation>{name} 没有 {file}</translation>
    </message>
    <message>
        <source>cannot remove the checkpoints of a running run: {names} — stop its training first</source>
        <translation>无法删除正在运行的运行的检查点：{names} — 请先停止其训练</translation>
    </message>
    <message>
        <source>Remove the checkpoints of {count} run and free {size}?</source>
        <translation>删除 {count} 个运行的检查点并释放 {size}？</translation>
    </message>
    <message>
        <source>Remove the checkpoints of {count} runs and free {size}?</source>
        <translation>删除 {count} 个运行的检查点并释放 {size}？</translation>
    </message>
    <message>
        <source>Remove checkpoints</source>
        <translation>删除检查点</translation>
    </message>
    <message>
        <source>Their curves, config and kernels are kept; they can no longer be resumed, nor their weights loaded.</source>
        <translation>它们的曲线、配置和卷积核会保留；但之后无法再恢复训练，也无法加载其权重。</translation>
    </message>
    <message>
        <source>checkpoints not removed: {errors}</source>
        <translation>检查点未删除：{errors}</translation>
    </message>
    <message>
        <source>removed the checkpoints of {count} run: {size} freed</source>
        <translation>已删除 {count} 个运行的检查点：释放了 {size}</translation>
    </message>
    <message>
        <source>removed the checkpoints of {count} runs: {size} freed</source>
        <translation>已删除 {count} 个运行的检查点：释放了 {size}</translation>
    </message>
    <message>
        <source>could not remove the checkpoints: {error}</source>
        <translation>无法删除检查点：{error}</translation>
    </message>
    <message>
        <source>cannot delete a running run: {names} — stop its training first</source>
        <translation>无法删除正在运行的运行：{names} — 请先停止其训练</translation>
    </message>
    <message>
        <source>{name} ({holder} trains into it)</source>
        <translation>{name}（{holder} 正在向其中训练）</translation>
    </message>
    <message>
        <source>Delete {count} run folder and everything in it (checkpoints, curves), freeing {size}?</source>
        <translation>删除 {count} 个运行文件夹及其中的全部内容（检查点、曲线），释放 {size}？</translation>
    </message>
    <message>
        <source>Delete {count} run folders and everything in them (checkpoints, curves), freeing {size}?</source>
        <translation>删除 {count} 个运行文件夹及其中的全部内容（检查点、曲线），释放 {size}？</translation>
    </message>
    <message>
        <source>Delete runs</source>
        <translation>删除运行</translation>
    </message>
    <message>
        <source>could not delete: {error}</source>
        <translation>无法删除：{error}</translation>
    </message>
    <message>
        <source>not deleted: {errors}</source>
        <translation>未删除：{errors}</translation>
    </message>
    <message>
        <source>deleted {count} run folder</source>
        <translation>已删除 {count} 个运行文件夹</translation>
    </message>
    <message>
        <source>deleted {count} run folders</source>
        <translation>已删除 {count} 个运行文件夹</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <source>asks first</source>
        <extracomment>the plan&apos;s last words when Start asks first (left out of the notice once it starts)</extracomment>
        <translation>开始前会先询问</translation>
    </message>
    <message>
        <source>watching {name}: {state}, epoch {epoch}, step {step:,}</source>
        <translation>正在跟踪 {name}：{state}，第 {epoch} 轮，第 {step:,} 步</translation>
    </message>
    <message>
        <source>watching {name}: {state}</source>
        <translation>正在跟踪 {name}：{state}</translation>
    </message>
    <message>
        <source>{text} — {problem}</source>
        <translation>{text} — {problem}</translation>
    </message>
    <message>
        <source>New run</source>
        <extracomment>the settings a checkpoint&apos;s weights are shaped by: continuing a run with another of these is another run
----------
every text the Start button can show: the toolbar sizes it once for the widest (it never changes width)</extracomment>
        <translation>新训练</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Fine-tune</source>
        <translation>微调</translation>
    </message>
    <message>
        <source>Continue {source} at step {step:,} of {total:,}</source>
        <translation>从第 {step:,} 步继续 {source}（共 {total:,} 步）</translation>
    </message>
    <message>
        <source>Continue {source} at step {step:,}</source>
        <translation>从第 {step:,} 步继续 {source}</translation>
    </message>
    <message>
        <source>in its folder</source>
        <translation>在其原文件夹中</translation>
    </message>
    <message>
        <source>in a new folder</source>
        <translation>在新文件夹中</translation>
    </message>
    <message>
        <source>Fine-tune {source} on {data}</source>
        <translation>在 {data} 上微调 {source}</translation>
    </message>
    <message>
        <source>{steps:,} steps</source>
        <translation>{steps:,} 步</translation>
    </message>
    <message>
        <source>{epochs} epoch</source>
        <translation>{epochs} 轮</translation>
    </message>
    <message>
        <source>{epochs} epochs</source>
        <translation>{epochs} 轮</translation>
    </message>
    <message>
        <source>≈ {time} here</source>
        <translation>本机约需 {time}</translation>
    </message>
    <message>
        <source>{name} weights</source>
        <translation>{name} 权重</translation>
    </message>
    <message>
        <source>folder {name}</source>
        <translation>文件夹 {name}</translation>
    </message>
    <message>
        <source>{minutes:.0f} min</source>
        <translation>{minutes:.0f} 分钟</translation>
    </message>
    <message>
        <source>&lt; 1 min</source>
        <translation>&lt; 1 分钟</translation>
    </message>
    <message>
        <source>{hours:.1f} h</source>
        <translation>{hours:.1f} 小时</translation>
    </message>
    <message>
        <source>{model} model, {dataset}, {size}px, batch {batch}, lr {lr:g}, momentum {momentum:g}, {schedule} schedule, {epochs} epochs</source>
        <translation>{model} 模型，{dataset}，{size}px，批大小 {batch}，学习率 {lr:g}，动量 {momentum:g}，{schedule} 调度，{epochs} 轮</translation>
    </message>
    <message>
        <source>recipe &apos;{name}&apos;: {settings}</source>
        <translation>配方“{name}”：{settings}</translation>
    </message>
    <message>
        <source>dataset: {name} in {root} (loaded when training starts)</source>
        <translation>数据集：{root} 中的 {name}（开始训练时加载）</translation>
    </message>
    <message>
        <source>dataset: {name} (loaded when training starts)</source>
        <translation>数据集：{name}（开始训练时加载）</translation>
    </message>
    <message>
        <source>settings: {settings}</source>
        <translation>设置：{settings}</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Pausing…</source>
        <translation>正在暂停…</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>{name} was trained on {data} ({model}, {size} px); the settings now say {new_data} ({new_model}, {new_size} px). Continuing a run keeps its data set and network.</source>
        <translation>{name} 是在 {data}（{model}，{size} px）上训练的；而当前设置为 {new_data}（{new_model}，{new_size} px）。继续一次运行会沿用它原来的数据集和网络。</translation>
    </message>
    <message>
        <source>Continue {name} on {data}</source>
        <translation>在 {data} 上继续 {name}</translation>
    </message>
    <message>
        <source>New run on {data} from its weights</source>
        <translation>从其权重开始在 {data} 上新训练</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>not started: {question} Choose one.</source>
        <translation>未开始：{question} 请选择一项。</translation>
    </message>
    <message>
        <source>cannot start: {problems}</source>
        <translation>无法开始：{problems}</translation>
    </message>
    <message>
        <source>training started</source>
        <translation>训练已开始</translation>
    </message>
    <message>
        <source>stop training before watching a run from disk</source>
        <translation>请先停止训练，再从磁盘跟踪运行</translation>
    </message>
    <message>
        <source>stopped watching {name} ({why})</source>
        <translation>已停止跟踪 {name}（{why}）</translation>
    </message>
    <message>
        <source>stopped watching {name}</source>
        <translation>已停止跟踪 {name}</translation>
    </message>
    <message>
        <source>stop training before loading other weights</source>
        <translation>请先停止训练，再加载其他权重</translation>
    </message>
    <message>
        <source>unreadable image</source>
        <translation>无法读取的图像</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>Data</source>
        <extracomment>a :class:`~train_backend.config.TrainConfig`: the table reads and sets its fields by name (config.py checks a config against the rows, so this module does not import it) the dialog&apos;s tabs, in order</extracomment>
        <translation>数据</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Augmentation</source>
        <translation>数据增强</translation>
    </message>
    <message>
        <source>Optimisation</source>
        <translation>优化</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>学习率调度</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>引擎</translation>
    </message>
    <message>
        <source>Logging</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>Model options</source>
        <translation>模型选项</translation>
    </message>
    <message>
        <source>Data set</source>
        <extracomment>the update rules: torch&apos;s SGD, or the paper&apos;s (``engine/optim.py``: weight decay inside the velocity, the lr applied when the velocity is formed, so a ÷10 drop does not rescale the momentum already gathered) how pixels become inputs (``normalize`` on): &quot;standardised&quot; (x/255 - mean) / std with the data set&apos;s statistics; the paper&apos;s raw 0-255 RGB minus the training set&apos;s &quot;mean-image&quot; (cropped with the input, as Caffe) or its &quot;mean-pixel&quot;, no division by a std TrainConfig&apos;s fields that are no setting: the recipe a config came from, and the model options (spread out into rows of their own) says how a run was computed, not what was computed, or has a column of its own: ``runs`` leaves it out of &quot;differs&quot; and of a comparison&apos;s labels the flag ``alexnet-gui train`` takes it by (&quot;&quot;: ``--`` and the key with dashes); a bool&apos;s flag also has its ``--no-`` form flags that set one value without an argument (``--tanh``: activation tanh) choices also accepted (a regular expression on the text: the device&apos;s ``cuda:N``) the dialog offers the machine&apos;s devices rather than :attr:`choices` when on, a problem this setting&apos;s value brings with it (an optional package missing), or None TrainConfig&apos;s fields (&quot;recipe&quot; names the preset the values came from; &quot;model_options&quot; is spread out below)</extracomment>
        <translation>数据集</translation>
    </message>
    <message>
        <source>the data to train on</source>
        <translation>用来训练的数据</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <source>where the data set is (default: its usual places)</source>
        <translation>数据集所在位置（默认：其常用位置）</translation>
    </message>
    <message>
        <source>default location</source>
        <translation>默认位置</translation>
    </message>
    <message>
        <source>Download if missing</source>
        <translation>缺失时下载</translation>
    </message>
    <message>
        <source>let torchvision download the data set</source>
        <translation>允许 torchvision 下载该数据集</translation>
    </message>
    <message>
        <source>Validation subset</source>
        <translation>验证子集</translation>
    </message>
    <message>
        <source>validate on this many images (a fixed seeded subset)</source>
        <translation>只在这么多张图像上验证（固定种子的子集）</translation>
    </message>
    <message>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Validation fraction</source>
        <translation>验证比例</translation>
    </message>
    <message>
        <source>folders without train/ + val/: the share of each class held out for validation</source>
        <translation>没有 train/ + val/ 的文件夹：每个类别留作验证的比例</translation>
    </message>
    <message>
        <source>Split seed</source>
        <translation>划分种子</translation>
    </message>
    <message>
        <source>the seed of that split (independent of the run&apos;s seed)</source>
        <translation>该划分的种子（与运行的种子无关）</translation>
    </message>
    <message>
        <source>the network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>Start from weights</source>
        <translation>从权重开始</translation>
    </message>
    <message>
        <source>&apos;torchvision&apos; (ImageNet) or a checkpoint / .pth file; fc8 is re-initialised for the data set&apos;s classes</source>
        <translation>“torchvision”（ImageNet）或检查点 / .pth 文件；fc8 会按数据集的类别重新初始化</translation>
    </message>
    <message>
        <source>random initialisation</source>
        <translation>随机初始化</translation>
    </message>
    <message>
        <source>Input size (px)</source>
        <translation>输入尺寸（px）</translation>
    </message>
    <message>
        <source>the square crop the network sees</source>
        <translation>网络看到的方形裁剪</translation>
    </message>
    <message>
        <source>Input channels</source>
        <translation>输入通道数</translation>
    </message>
    <message>
        <source>1 (grey) or 3 (RGB); grey data is repeated to 3</source>
        <translation>1（灰度）或 3（RGB）；灰度数据会复制成 3 个通道</translation>
    </message>
    <message>
        <source>Freeze conv1-conv5</source>
        <translation>冻结 conv1-conv5</translation>
    </message>
    <message>
        <source>train only the FC layers (fine-tuning)</source>
        <translation>只训练全连接层（微调）</translation>
    </message>
    <message>
        <source>Resize (px)</source>
        <translation>缩放（px）</translation>
    </message>
    <message>
        <source>the shorter side before cropping (auto: 256 for 224/227 crops, the same ratio for smaller ones)</source>
        <translation>裁剪前短边的长度（自动：224/227 的裁剪用 256，更小的裁剪按相同比例）</translation>
    </message>
    <message>
        <source>auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Horizontal flips</source>
        <translation>水平翻转</translation>
    </message>
    <message>
        <source>random mirror images in training</source>
        <translation>训练时随机取镜像</translation>
    </message>
    <message>
        <source>PCA lighting σ</source>
        <translation>PCA 光照 σ</translation>
    </message>
    <message>
        <source>the paper&apos;s colour augmentation; 0 = off</source>
        <translation>论文的颜色增强；0 = 关闭</translation>
    </message>
    <message>
        <source>Normalise inputs</source>
        <translation>归一化输入</translation>
    </message>
    <message>
        <source>subtract the data set&apos;s mean and divide by its std (d2l feeds raw [0, 1] pixels)</source>
        <translation>减去数据集的均值并除以标准差（d2l 直接输入 [0, 1] 的原始像素）</translation>
    </message>
    <message>
        <source>Input pixels</source>
        <translation>输入像素</translation>
    </message>
    <message>
        <source>standardised: (x/255 − mean)/std; mean-image: the paper&apos;s raw 0–255 RGB minus the training set&apos;s mean image (computed once, cached, cropped with the input as Caffe does); mean-pixel: 0–255 minus the mean pixel</source>
        <translation>standardised：(x/255 − 均值)/标准差；mean-image：论文的原始 0–255 RGB 减去训练集的均值图像（只计算一次并缓存，像 Caffe 一样随输入一起裁剪）；mean-pixel：0–255 减去均值像素</translation>
    </message>
    <message>
        <source>Ten-crop validation</source>
        <translation>十块裁剪验证</translation>
    </message>
    <message>
        <source>validate on the paper&apos;s ten patches, softmax averaged</source>
        <translation>在论文的十个图像块上验证，对 softmax 取平均</translation>
    </message>
    <message>
        <source>Validation resize</source>
        <translation>验证缩放方式</translation>
    </message>
    <message>
        <source>shorter: the shorter side to the resize and the central square (the paper); square: the whole image squashed to resize x resize (the fine-tune script)</source>
        <translation>shorter：把短边缩放到指定尺寸后取中心方块（论文的做法）；square：把整张图像压缩成 resize x resize（微调脚本的做法）</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <source>passes over the training set</source>
        <translation>遍历训练集的次数</translation>
    </message>
    <message>
        <source>Max steps</source>
        <translation>最大步数</translation>
    </message>
    <message>
        <source>stop after this many steps in all (a resumed run counts from its start)</source>
        <translation>总共训练这么多步后停止（恢复的运行从其开头算起）</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>Time budget (s)</source>
        <translation>时间预算（秒）</translation>
    </message>
    <message>
        <source>stop after this much training time, pauses excluded (the cosine schedule then decays over it)</source>
        <translation>训练这么长时间后停止，暂停时间不计（余弦调度此时在这段时间内衰减）</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>images per step</source>
        <translation>每步的图像数</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>the step size ε</source>
        <translation>步长 ε</translation>
    </message>
    <message>
        <source>Momentum</source>
        <translation>动量</translation>
    </message>
    <message>
        <source>the share of the last update kept</source>
        <translation>保留上一次更新的比例</translation>
    </message>
    <message>
        <source>Weight decay</source>
        <translation>权重衰减</translation>
    </message>
    <message>
        <source>L2 penalty on the weights</source>
        <translation>权重的 L2 惩罚</translation>
    </message>
    <message>
        <source>Update rule</source>
        <translation>更新规则</translation>
    </message>
    <message>
        <source>sgd: PyTorch&apos;s SGD; paper: v ← 0.9·v − 0.0005·ε·w − ε·∂L/∂w, w ← w + v (the same at a constant lr; after a ÷10 drop torch rescales the gathered momentum at once, the paper&apos;s does not); adam: torch&apos;s Adam (seed 001&apos;s script)</source>
        <translation>sgd：PyTorch 的 SGD；paper：v ← 0.9·v − 0.0005·ε·w − ε·∂L/∂w，w ← w + v（学习率不变时两者相同；学习率 ÷10 时 torch 会立即重新缩放已积累的动量，论文的不会）；adam：torch 的 Adam（seed 001 的脚本）</translation>
    </message>
    <message>
        <source>Conv-layer lr ×</source>
        <translation>卷积层学习率 ×</translation>
    </message>
    <message>
        <source>conv1-conv5 learn at this multiple of the lr (fine-tuning&apos;s 0.1×)</source>
        <translation>conv1-conv5 以学习率的这个倍数学习（微调时为 0.1×）</translation>
    </message>
    <message>
        <source>LR schedule</source>
        <translation>学习率调度</translation>
    </message>
    <message>
        <source>plateau: ÷10 when validation stops improving (the paper); step: StepLR; cosine; constant</source>
        <translation>plateau：验证不再改善时 ÷10（论文的做法）；step：StepLR；cosine：余弦；constant：恒定</translation>
    </message>
    <message>
        <source>Plateau patience (epochs)</source>
        <translation>平台期耐心（轮）</translation>
    </message>
    <message>
        <source>plateau: validations without improvement before the ÷10</source>
        <translation>plateau：在 ÷10 之前允许多少次验证没有改善</translation>
    </message>
    <message>
        <source>Plateau minimum lr</source>
        <translation>平台期最小学习率</translation>
    </message>
    <message>
        <source>plateau: the lr is not divided below this</source>
        <translation>plateau：学习率不会被除到低于此值</translation>
    </message>
    <message>
        <source>Step size (epochs)</source>
        <translation>步长（轮）</translation>
    </message>
    <message>
        <source>StepLR: epochs between lr drops</source>
        <translation>StepLR：两次降低学习率之间的轮数</translation>
    </message>
    <message>
        <source>Step factor γ</source>
        <translation>步进因子 γ</translation>
    </message>
    <message>
        <source>StepLR: the lr is multiplied by this</source>
        <translation>StepLR：学习率乘以该值</translation>
    </message>
    <message>
        <source>Warm-up steps</source>
        <translation>预热步数</translation>
    </message>
    <message>
        <source>linear warm-up (cosine and constant schedules)</source>
        <translation>线性预热（余弦和恒定调度）</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>auto picks CUDA, then MPS, then the CPU; cuda:N names one GPU</source>
        <translation>auto 依次选择 CUDA、MPS、CPU；cuda:N 指定某块 GPU</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>data order, augmentation, initialisation and dropout</source>
        <translation>数据顺序、数据增强、初始化和丢弃法</translation>
    </message>
    <message>
        <source>Loader workers</source>
        <translation>加载器工作进程</translation>
    </message>
    <message>
        <source>data-loading processes</source>
        <translation>加载数据的进程数</translation>
    </message>
    <message>
        <source>Augment on the device</source>
        <translation>在设备上做数据增强</translation>
    </message>
    <message>
        <source>augment in-memory data sets a batch at a time on the device</source>
        <translation>对内存中的数据集在设备上按批次做数据增强</translation>
    </message>
    <message>
        <source>auto (CUDA)</source>
        <translation>自动（CUDA）</translation>
    </message>
    <message>
        <source>Mixed precision (CUDA)</source>
        <translation>混合精度（CUDA）</translation>
    </message>
    <message>
        <source>bf16 where supported, else fp16 with a scaler; off: fp32, as the paper, d2l and the fine-tune script train</source>
        <translation>支持时用 bf16，否则用带缩放器的 fp16；关闭：fp32，与论文、d2l 和微调脚本的训练方式相同</translation>
    </message>
    <message>
        <source>bf16 on the CPU</source>
        <translation>CPU 上使用 bf16</translation>
    </message>
    <message>
        <source>bf16 autocast where the CPU computes bf16 (AVX-512, AMX): more steps in the same time; fp32 elsewhere</source>
        <translation>在能计算 bf16 的 CPU 上（AVX-512、AMX）启用 bf16 自动混合精度：相同时间内走更多步；其他情况用 fp32</translation>
    </message>
    <message>
        <source>Channels-last memory</source>
        <translation>通道在后（channels-last）内存布局</translation>
    </message>
    <message>
        <source>NHWC tensors for the convolutions</source>
        <translation>卷积使用 NHWC 张量</translation>
    </message>
    <message>
        <source>auto (CUDA, CPU)</source>
        <translation>自动（CUDA、CPU）</translation>
    </message>
    <message>
        <source>Compile the LRN</source>
        <translation>编译 LRN</translation>
    </message>
    <message>
        <source>torch.compile fuses each LRN layer for the training batch: more images/s after some seconds of compiling at the first step; on a CPU it needs a C++ compiler</source>
        <translation>torch.compile 为训练批次融合每个 LRN 层：第一步编译几秒后每秒处理更多图像；在 CPU 上需要 C++ 编译器</translation>
    </message>
    <message>
        <source>Tower devices (paper model)</source>
        <translation>塔设备（paper 模型）</translation>
    </message>
    <message>
        <source>the paper model&apos;s two towers on two devices, e.g. cuda:0,cuda:1 (conv3 and the FC layers on the first)</source>
        <translation>把 paper 模型的两个塔放在两个设备上，例如 cuda:0,cuda:1（conv3 和全连接层在第一个设备上）</translation>
    </message>
    <message>
        <source>one device</source>
        <translation>单个设备</translation>
    </message>
    <message>
        <source>Read metrics every (steps)</source>
        <translation>读取指标间隔（步）</translation>
    </message>
    <message>
        <source>how often the loss is read back from the device</source>
        <translation>从设备读回损失的频率</translation>
    </message>
    <message>
        <source>Validate every (steps)</source>
        <translation>验证间隔（步）</translation>
    </message>
    <message>
        <source>also validate mid-epoch</source>
        <translation>在一轮中途也进行验证</translation>
    </message>
    <message>
        <source>each epoch</source>
        <translation>每轮一次</translation>
    </message>
    <message>
        <source>Script log line every (steps)</source>
        <translation>脚本日志行间隔（步）</translation>
    </message>
    <message>
        <source>print the fine-tune script&apos;s Training:/Valid: lines every N iterations (alexnet-gui train)</source>
        <translation>每 N 次迭代打印一次微调脚本的“Training:”/“Valid:”日志行（alexnet-gui train）</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>conv1 snapshots every (s)</source>
        <translation>conv1 快照间隔（秒）</translation>
    </message>
    <message>
        <source>0: after every step</source>
        <translation>0：每一步之后</translation>
    </message>
    <message>
        <source>Checkpoint every (s)</source>
        <translation>检查点间隔（秒）</translation>
    </message>
    <message>
        <source>also save last.pt this often during long epochs</source>
        <translation>在较长的轮次中也按此频率保存 last.pt</translation>
    </message>
    <message>
        <source>TensorBoard event files</source>
        <translation>TensorBoard 事件文件</translation>
    </message>
    <message>
        <source>write &lt;run&gt;/tensorboard/ (scalars, conv1 kernels, histograms, hparams) for &apos;tensorboard --logdir RUNS&apos;; needs the optional tensorboard package</source>
        <translation>为“tensorboard --logdir RUNS”写入 &lt;run&gt;/tensorboard/（标量、conv1 卷积核、直方图、超参数）；需要可选的 tensorboard 包</translation>
    </message>
    <message>
        <source>TensorBoard histograms every (steps)</source>
        <translation>TensorBoard 直方图间隔（步）</translation>
    </message>
    <message>
        <source>weight and gradient histograms and conv1 kernel images</source>
        <translation>权重和梯度的直方图以及 conv1 卷积核图像</translation>
    </message>
    <message>
        <source>Local response normalisation</source>
        <extracomment>How each model option is shown and parsed (the options themselves come from the model registry).</extracomment>
        <translation>局部响应归一化</translation>
    </message>
    <message>
        <source>LRN after conv1 and conv2</source>
        <translation>在 conv1 和 conv2 之后使用 LRN</translation>
    </message>
    <message>
        <source>Overlapping pooling</source>
        <translation>重叠池化</translation>
    </message>
    <message>
        <source>3×3 stride 2 (off: 2×2 stride 2)</source>
        <translation>3×3 步幅 2（关闭时：2×2 步幅 2）</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>激活函数</translation>
    </message>
    <message>
        <source>the non-linearity</source>
        <translation>非线性函数</translation>
    </message>
    <message>
        <source>Towers</source>
        <translation>塔数</translation>
    </message>
    <message>
        <source>2: the two-GPU net (grouped conv2/4/5, LRN per tower); 1: the paper&apos;s one-GPU net (half the kernels in conv1-conv4)</source>
        <translation>2：双 GPU 网络（conv2/4/5 分组，LRN 按塔进行）；1：论文的单 GPU 网络（conv1-conv4 的卷积核减半）</translation>
    </message>
    <message>
        <source>LRN convention</source>
        <translation>LRN 约定</translation>
    </message>
    <message>
        <source>paper: α as written; pytorch: α / n, as nn.LocalResponseNorm and Caffe</source>
        <translation>paper：α 按原文；pytorch：α / n，与 nn.LocalResponseNorm 和 Caffe 相同</translation>
    </message>
    <message>
        <source>LRN k</source>
        <translation>LRN k</translation>
    </message>
    <message>
        <source>LRN n</source>
        <translation>LRN n</translation>
    </message>
    <message>
        <source>LRN α</source>
        <translation>LRN α</translation>
    </message>
    <message>
        <source>LRN β</source>
        <translation>LRN β</translation>
    </message>
    <message>
        <source>LRN across towers</source>
        <translation>LRN 跨塔</translation>
    </message>
    <message>
        <source>the window runs over both towers&apos; maps (Caffe&apos;s bvlc_alexnet), not per tower</source>
        <translation>窗口跨越两个塔的特征图（Caffe 的 bvlc_alexnet），而不是按塔进行</translation>
    </message>
    <message>
        <source>Initialisation</source>
        <translation>初始化</translation>
    </message>
    <message>
        <source>paper: N(0, 0.01), biases 1 in conv2/4/5 and fc6/fc7; kaiming: He, for fast small runs</source>
        <translation>paper：N(0, 0.01)，conv2/4/5 和 fc6/fc7 的偏置为 1；kaiming：He 初始化，适合快速的小规模运行</translation>
    </message>
    <message>
        <source>Dropout</source>
        <translation>丢弃率（Dropout）</translation>
    </message>
    <message>
        <source>on the outputs of fc6 and fc7</source>
        <translation>作用于 fc6 和 fc7 的输出</translation>
    </message>
    <message>
        <source>Width ×</source>
        <translation>宽度 ×</translation>
    </message>
    <message>
        <source>scales every conv layer&apos;s kernel count</source>
        <translation>缩放每个卷积层的卷积核数量</translation>
    </message>
    <message>
        <source>fc6/fc7 width</source>
        <translation>fc6/fc7 宽度</translation>
    </message>
    <message>
        <source>Remove a conv layer</source>
        <translation>去掉一个卷积层</translation>
    </message>
    <message>
        <source>none (the whole network)</source>
        <translation>无（完整网络）</translation>
    </message>
    <message>
        <source>the depth experiment: the paper&apos;s net without one of its middle conv layers</source>
        <translation>深度实验：去掉论文网络中一个中间卷积层</translation>
    </message>
    <message>
        <source>Kernels conv1-conv5</source>
        <translation>conv1-conv5 卷积核数</translation>
    </message>
    <message>
        <source>by towers and width</source>
        <translation>由塔数和宽度决定</translation>
    </message>
    <message>
        <source>five kernel counts, e.g. 96,256,384,384,256 (overrides towers&apos; counts and width)</source>
        <translation>五个卷积核数量，例如 96,256,384,384,256（覆盖塔数和宽度所决定的数量）</translation>
    </message>
    <message>
        <source>must be positive</source>
        <translation>必须为正数</translation>
    </message>
    <message>
        <source>must not be negative</source>
        <translation>不能为负数</translation>
    </message>
    <message>
        <source>must be more than {bound:g}</source>
        <translation>必须大于 {bound:g}</translation>
    </message>
    <message>
        <source>must be at least {bound:g}</source>
        <translation>必须至少为 {bound:g}</translation>
    </message>
    <message>
        <source>must be below {bound:g}</source>
        <translation>必须小于 {bound:g}</translation>
    </message>
    <message>
        <source>must be at most {bound:g}</source>
        <translation>必须至多为 {bound:g}</translation>
    </message>
    <message>
        <source>{name} needs a value ({key})</source>
        <translation>{name}需要一个值（{key}）</translation>
    </message>
    <message>
        <source>{name} {why} (got {value})</source>
        <translation>{name}{why}（收到 {value}）</translation>
    </message>
    <message>
        <source>{name} must be one of {choices} or {pattern} (got {value})</source>
        <translation>{name}必须是 {choices} 之一或符合 {pattern}（收到 {value}）</translation>
    </message>
    <message>
        <source>{name} must be one of {choices} (got {value})</source>
        <translation>{name}必须是 {choices} 之一（收到 {value}）</translation>
    </message>
    <message>
        <source>pixels {pixels} centres the inputs, and normalize is off: turn one of them around</source>
        <translation>pixels {pixels} 已使输入居中，而 normalize 是关闭的：请改变其中之一</translation>
    </message>
    <message>
        <source>resize ({resize} px) must be at least the input size ({size} px)</source>
        <translation>resize（{resize} px）必须至少等于输入尺寸（{size} px）</translation>
    </message>
    <message>
        <source>tower devices need the paper model with its two towers (--model paper, towers 2)</source>
        <translation>塔设备需要带两个塔的 paper 模型（--model paper，towers 2）</translation>
    </message>
    <message>
        <source>tower devices must be two devices, e.g. cuda:0,cuda:1 (got {value})</source>
        <translation>塔设备必须是两个设备，例如 cuda:0,cuda:1（收到 {value}）</translation>
    </message>
    <message>
        <source>compile_lrn does not work with tower devices yet: leave one of them off</source>
        <translation>compile_lrn 目前还不能与塔设备同时使用：请关闭其中之一</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>on</source>
        <translation>开</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <source>Training settings — recipe &apos;{recipe}&apos;</source>
        <translation>训练设置 — 配方“{recipe}”</translation>
    </message>
    <message>
        <source>recipe: {value}</source>
        <translation>配方：{value}</translation>
    </message>
    <message>
        <source>Choose a folder</source>
        <translation>选择文件夹</translation>
    </message>
    <message>
        <source>Choose a file</source>
        <translation>选择文件</translation>
    </message>
    <message>
        <source>Grey: the recipe&apos;s value. A bold name: changed from it. The same keys work on the command line as &lt;tt&gt;alexnet-gui train --set KEY=VALUE&lt;/tt&gt;.</source>
        <translation>灰色：配方的取值。粗体名称：已改动。同样的键也可以在命令行中使用：&lt;tt&gt;alexnet-gui train --set KEY=VALUE&lt;/tt&gt;。</translation>
    </message>
    <message>
        <source>Recipe&apos;s values</source>
        <translation>配方的取值</translation>
    </message>
    <message>
        <source>({models} model only)</source>
        <translation>（仅 {models} 模型）</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <source>Weights to start from</source>
        <translation>起始权重</translation>
    </message>
    <message>
        <source>Weights ({patterns});;All files (*)</source>
        <translation>权重 ({patterns});;所有文件 (*)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>device: {device}</source>
        <extracomment>how long a notification stays, by level (an error also opens a message box)</extracomment>
        <translation>设备：{device}</translation>
    </message>
    <message>
        <source>idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>%v / %m steps</source>
        <translation>%v / %m 步</translation>
    </message>
    <message>
        <source>validation %v/%m</source>
        <translation>验证 %v/%m</translation>
    </message>
    <message>
        <source>importing the Caffe model…</source>
        <translation>正在导入 Caffe 模型…</translation>
    </message>
    <message>
        <source>importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>weights: {model}, {classes} classes, trained</source>
        <translation>权重：{model}，{classes} 个类别，已训练</translation>
    </message>
    <message>
        <source>weights: {model}, {classes} classes, UNTRAINED</source>
        <translation>权重：{model}，{classes} 个类别，未训练</translation>
    </message>
    <message>
        <source>weights: {model}, {classes} classes, training</source>
        <translation>权重：{model}，{classes} 个类别，训练中</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>{word} at step {step:,}</source>
        <translation>{word}于第 {step:,} 步</translation>
    </message>
    <message>
        <source>Start ▸ {plan}</source>
        <translation>开始 ▸ {plan}</translation>
    </message>
    <message>
        <source>What Start will do: {plan}</source>
        <translation>“开始”将会：{plan}</translation>
    </message>
    <message>
        <source>downloading torchvision&apos;s ImageNet weights…</source>
        <translation>正在下载 torchvision 的 ImageNet 权重…</translation>
    </message>
    <message>
        <source>downloading…</source>
        <translation>正在下载…</translation>
    </message>
    <message>
        <source>epoch {epoch} · step {step:,}/{total:,} · loss {loss:.4f} · {speed:.0f} img/s</source>
        <translation>第 {epoch} 轮 · 第 {step:,}/{total:,} 步 · 损失 {loss:.4f} · {speed:.0f} 图像/秒</translation>
    </message>
    <message>
        <source>{line} · ETA {eta}</source>
        <translation>{line} · 预计剩余 {eta}</translation>
    </message>
</context>
<context>
    <name>Top5Cell</name>
    <message>
        <source>the true class ranks {rank} ({p:.1f} %)</source>
        <translation>真实类别排在第 {rank} 位（{p:.1f} %）</translation>
    </message>
</context>
<context>
    <name>TopPatchesPanel</name>
    <message>
        <source>Click a map in &lt;b&gt;Activation maps&lt;/b&gt; (a conv layer) to choose a unit.</source>
        <translation>在&lt;b&gt;激活图&lt;/b&gt;中点击一张特征图（卷积层）来选择一个单元。</translation>
    </message>
    <message>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Search the first N images of the split (0: all of them; a pass over 60,000 images takes minutes on a CPU, then it is cached)</source>
        <translation>只搜索该数据划分的前 N 张图像（0：全部；在 CPU 上遍历 60,000 张图像需要几分钟，之后会缓存）</translation>
    </message>
    <message>
        <source>train</source>
        <translation>训练集</translation>
    </message>
    <message>
        <source>val</source>
        <translation>验证集</translation>
    </message>
    <message>
        <source>The data set&apos;s split to search: its training or its validation images</source>
        <translation>要搜索的数据划分：训练图像或验证图像</translation>
    </message>
    <message>
        <source>Find top 9</source>
        <translation>查找前 9 个</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>images</source>
        <translation>图像数</translation>
    </message>
    <message>
        <source>of</source>
        <translation>来自</translation>
    </message>
    <message>
        <source>&lt;b&gt;{layer}&lt;/b&gt;, unit {unit}: the image regions that excite it most</source>
        <translation>&lt;b&gt;{layer}&lt;/b&gt; 的第 {unit} 个单元：最能激发它的图像区域</translation>
    </message>
    <message>
        <source>searching {dataset} ({split}) …</source>
        <translation>正在搜索 {dataset}（{split}）…</translation>
    </message>
    <message>
        <source>search cancelled</source>
        <translation>搜索已取消</translation>
    </message>
    <message>
        <source>could not search: {error}</source>
        <translation>无法搜索：{error}</translation>
    </message>
    <message>
        <source>top patches: {error}</source>
        <translation>最强激活图像块：{error}</translation>
    </message>
    <message>
        <source>{layer} unit {unit} of {units}: receptive field {size} px (stride {stride}) in the {input} px input; {searched:,} images of {dataset} ({split}) searched. Under each patch: its class, the unit&apos;s peak value and the image&apos;s index.</source>
        <translation>{layer} 的第 {unit} 个单元（共 {units} 个）：在 {input} px 的输入中感受野为 {size} px（步幅 {stride}）；已搜索 {dataset}（{split}）中的 {searched:,} 张图像。每个图像块下方依次是：其类别、该单元的峰值和图像编号。</translation>
    </message>
</context>
<context>
    <name>ViewBox</name>
    <message>
        <source>ViewBox options</source>
        <translation>ViewBox 选项</translation>
    </message>
    <message>
        <source>View All</source>
        <translation>查看全部</translation>
    </message>
    <message>
        <source>axis</source>
        <translation>轴</translation>
    </message>
    <message>
        <source>Mouse Mode</source>
        <translation>鼠标模式</translation>
    </message>
    <message>
        <source>3 button</source>
        <translation>三键</translation>
    </message>
    <message>
        <source>1 button</source>
        <translation>单键</translation>
    </message>
</context>
<context>
    <name>Weights</name>
    <message>
        <source>{model}, {classes} classes, {size}px, from {source}</source>
        <extracomment>2: the paper model&apos;s ``towers=1`` is the paper&apos;s one-GPU net (48-128-192-192-256 kernels); version 1 files meant a full-size single tower by it, and are read as such (:func:`upgrade_model_config`) the weights files the app opens: its own checkpoints and torchvision-style state dicts, and Caffe&apos;s models the side images are resized to before the crop (None: 256 for 224/227 crops, the same ratio for smaller); d2l&apos;s recipe resizes Fashion-MNIST to 224 and crops nothing, and its weights must be probed the same way identifies the mean image (equal specs have equal digests; the transforms are cached by spec)</extracomment>
        <translation>{model}，{classes} 个类别，{size}px，来自 {source}</translation>
    </message>
    <message>
        <source>{model} (untrained), {classes} classes, {size}px, from {source}</source>
        <translation>{model}（未训练），{classes} 个类别，{size}px，来自 {source}</translation>
    </message>
    <message>
        <source>untrained</source>
        <translation>未训练</translation>
    </message>
    <message>
        <source>torchvision ImageNet (IMAGENET1K_V1)</source>
        <translation>torchvision ImageNet（IMAGENET1K_V1）</translation>
    </message>
    <message>
        <source>fresh, untrained (for {dataset})</source>
        <extracomment>the rules across values (one value&apos;s bounds and choices are its row&apos;s)</extracomment>
        <translation>全新、未训练（用于 {dataset}）</translation>
    </message>
</context>
</TS>
